package dev.rockpool.pool;

/**
 * The kind of a {@link PoolException}. Each kind has the process exit code the CLI uses for it, so every front end
 * (CLI, connectors, tests) speaks of failures the same way.
 */
public enum ErrorKind {
    /** The engine itself failed; a bug. */
    INTERNAL("Internal", 1),
    /** The caller asked for something invalid: a bad name, bad JSON, a message too large, a bad option. */
    USAGE("Usage", 2),
    /** The pool (or message) does not exist. */
    NOT_FOUND("NotFound", 3),
    /** The pool already exists; create never overwrites. */
    ALREADY_EXISTS("AlreadyExists", 4),
    /** Another writer holds the pool and does not let go in time. */
    BUSY("Busy", 5),
    /** The operating system refused access to the file. */
    PERMISSION("Permission", 6),
    /** The file is not a valid pool: truncated, zeroed, foreign, or a frame fails its checks. */
    CORRUPT("Corrupt", 7),
    /** An I/O error from the operating system. */
    IO("Io", 8),
    /** A reader's next message was overwritten before it was read and the gap policy is {@code fail}. */
    RETENTION_GAP("RetentionGap", 9);

    private final String label;
    private final int exitCode;

    ErrorKind(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    /** The name shown to users, e.g. {@code RetentionGap}. */
    public String label() {
        return label;
    }

    /** The kind with this {@link #label()}, or {@link #INTERNAL} for a label this version does not know. */
    public static ErrorKind fromLabel(String label) {
        for (ErrorKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        return INTERNAL;
    }

    /** The CLI's exit code for this kind. */
    public int exitCode() {
        return exitCode;
    }
}
