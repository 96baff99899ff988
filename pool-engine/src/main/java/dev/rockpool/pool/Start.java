package dev.rockpool.pool;

/** Where a {@link Cursor} starts reading. */
public final class Start {
    /** The kinds of start position. */
    public enum Kind { EARLIEST, LATEST, SEQ, TIME, TAIL }

    private static final Start EARLIEST = new Start(Kind.EARLIEST, 0);
    private static final Start LATEST = new Start(Kind.LATEST, 0);

    private final Kind kind;
    private final long value;

    private Start(Kind kind, long value) {
        this.kind = kind;
        this.value = value;
    }

    /** The oldest message still in the pool. */
    public static Start earliest() {
        return EARLIEST;
    }

    /** The first message appended after the cursor is opened. */
    public static Start latest() {
        return LATEST;
    }

    /**
     * The message with this seq (or the next one after it). A seq older than the oldest still in the pool is a
     * {@link Gap} reported by the first read.
     */
    public static Start seq(long seq) {
        if (seq < 1) {
            throw new PoolException(ErrorKind.USAGE, "seq=" + seq + ": seqs start at 1");
        }
        return new Start(Kind.SEQ, seq);
    }

    /** The first message whose time is at or after {@code timeNanos} (ns since the epoch). */
    public static Start time(long timeNanos) {
        return new Start(Kind.TIME, timeNanos);
    }

    /** The newest {@code count} messages. */
    public static Start tail(long count) {
        if (count < 0) {
            throw new PoolException(ErrorKind.USAGE, "tail=" + count + ": must be >= 0");
        }
        return new Start(Kind.TAIL, count);
    }

    public Kind kind() {
        return kind;
    }

    /** The seq, the time in ns or the count, depending on {@link #kind()}. */
    public long value() {
        return value;
    }

    @Override
    public String toString() {
        return kind == Kind.EARLIEST || kind == Kind.LATEST ? kind.name().toLowerCase()
                : kind.name().toLowerCase() + ":" + value;
    }
}
