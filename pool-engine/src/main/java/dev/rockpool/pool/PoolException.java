package dev.rockpool.pool;

import java.nio.file.Path;

/**
 * A failure of the pool engine, with a {@link ErrorKind} and, where they apply, the pool's path, the message seq and the
 * byte offset in the file. Unchecked: every front end maps it to its own error channel (exit code, task failure).
 */
public class PoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final Path path;
    private final Long seq;
    private final Long offset;
    private final String hint;

    public PoolException(ErrorKind kind, String message) {
        this(kind, message, null, null, null, null, null);
    }

    public PoolException(ErrorKind kind, String message, Path path) {
        this(kind, message, path, null, null, null, null);
    }

    public PoolException(ErrorKind kind, String message, Path path, Long seq, Long offset, String hint,
                         Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.path = path;
        this.seq = seq;
        this.offset = offset;
        this.hint = hint;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The pool file concerned, or null. */
    public Path path() {
        return path;
    }

    /** The message seq concerned (for a RetentionGap: the first missing seq), or null. */
    public Long seq() {
        return seq;
    }

    /** The byte offset in the pool file concerned, or null. */
    public Long offset() {
        return offset;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }

    /** A copy with a hint added. */
    public PoolException withHint(String newHint) {
        return new PoolException(kind, getMessage(), path, seq, offset, newHint, getCause());
    }

    static PoolException corrupt(Path path, long offset, String message) {
        return new PoolException(ErrorKind.CORRUPT, message, path, null, offset, null, null);
    }

    /** An I/O failure on {@code path}: Permission when the system denied access, else Io. */
    public static PoolException io(Path path, String what, Exception cause) {
        ErrorKind kind = cause instanceof java.nio.file.AccessDeniedException ? ErrorKind.PERMISSION : ErrorKind.IO;
        return new PoolException(kind, what + ": " + cause, path, null, null, null, cause);
    }
}
