package dev.rockpool.cli;

import dev.rockpool.pool.PoolException;

/** A bad input record of {@code feed}: the engine's error plus where the record was (1-based record and line). */
public final class RecordException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final long record;
    private final long line;

    /** Wraps {@code cause} (usually a Usage error from parsing or size checks) for record {@code record}. */
    public RecordException(PoolException cause, long record, long line) {
        super(cause.kind(), "record " + record + " (line " + line + "): " + cause.getMessage(), cause.path(),
                cause.seq(), cause.offset(), cause.hint(), cause);
        this.record = record;
        this.line = line;
    }

    /** The 1-based number of the record in the input (every record counts, good or bad). */
    public long record() {
        return record;
    }

    /** The 1-based input line the record starts on. */
    public long line() {
        return line;
    }
}
