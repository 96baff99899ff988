package dev.rockpool.pool.testing;

/**
 * One edit of a pool file, as a fuzz case records it (and a regression file keeps it): put a value at a file offset,
 * flip bits of a byte, resize the file, or forge the frame at an offset (recompute its CRC32C).
 *
 * @param op    {@code long}, {@code int}, {@code byte} (put {@code value} at {@code at}, little-endian),
 *              {@code xor} (xor the byte at {@code at} with {@code value}), {@code resize} (the file becomes
 *              {@code value} bytes long), {@code forge} (recompute the checksum of the frame starting at {@code at})
 * @param at    a file offset
 * @param value the value, mask or size
 */
public record Mutation(String op, long at, long value) {
    public static Mutation putLong(long at, long value) {
        return new Mutation("long", at, value);
    }

    public static Mutation putInt(long at, int value) {
        return new Mutation("int", at, value);
    }

    public static Mutation putByte(long at, int value) {
        return new Mutation("byte", at, (byte) value);
    }

    public static Mutation xor(long at, int mask) {
        return new Mutation("xor", at, mask & 0xFF);
    }

    public static Mutation resize(long size) {
        return new Mutation("resize", 0, size);
    }

    public static Mutation forge(long frame) {
        return new Mutation("forge", frame, 0);
    }

    /** Applies the edit to {@code file}; an edit that starts past the end of the file (after a resize) is skipped. */
    public void apply(java.nio.file.Path file) {
        if (op.equals("resize")) {
            PoolFile.resize(file, value);
            return;
        }
        if (at >= PoolFile.fileSize(file)) {
            return;
        }
        switch (op) {
            case "long" -> PoolFile.putLong(file, at, value);
            case "int" -> PoolFile.putInt(file, at, (int) value);
            case "byte" -> PoolFile.putByte(file, at, (byte) value);
            case "xor" -> PoolFile.putByte(file, at, (byte) (PoolFile.read(file, at, 1).get(0) ^ value));
            case "forge" -> PoolFile.forge(file, at);
            default -> throw new IllegalArgumentException("unknown mutation op " + op);
        }
    }
}
