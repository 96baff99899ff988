package dev.rockpool.pool;

/** What a reader does when its next message was overwritten before it read it. */
public enum GapPolicy {
    /** Report the gap to the {@link GapListener} and go on with the oldest message still there. */
    CONTINUE,
    /** Throw a {@link PoolException} of kind {@link ErrorKind#RETENTION_GAP} naming the first missing seq. */
    FAIL;

    /** Parses {@code continue} / {@code fail} (case-insensitive). */
    public static GapPolicy parse(String text) {
        for (GapPolicy p : values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new PoolException(ErrorKind.USAGE, "gap policy '" + text + "': expected continue or fail");
    }
}
