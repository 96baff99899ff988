package dev.rockpool.pool;

/** When an append is acknowledged. */
public enum Durability {
    /** After the message is in the shared mapping: it survives the death of the process, not of the OS. */
    FAST,
    /** After msync of the frame, the index slot and the header: it survives an OS crash or power loss. */
    FLUSH;

    /** Parses {@code fast} / {@code flush} (case-insensitive). */
    public static Durability parse(String text) {
        for (Durability d : values()) {
            if (d.name().equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw new PoolException(ErrorKind.USAGE, "durability=" + text + ": expected fast or flush");
    }
}
