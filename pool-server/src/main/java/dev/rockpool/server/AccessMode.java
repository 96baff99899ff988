package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import java.util.Locale;

/** What the server lets clients do: read (list, info, get, tail), write (create, delete, append), or both. */
public enum AccessMode {
    READ_ONLY("read-only"),
    WRITE_ONLY("write-only"),
    READ_WRITE("read-write");

    private final String label;

    AccessMode(String label) {
        this.label = label;
    }

    /** Parses {@code read-only|write-only|read-write}. */
    public static AccessMode parse(String text) {
        for (AccessMode mode : values()) {
            if (mode.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new PoolException(ErrorKind.USAGE, "access=" + text + ": expected read-only, write-only or read-write");
    }

    public boolean allowsRead() {
        return this != WRITE_ONLY;
    }

    public boolean allowsWrite() {
        return this != READ_ONLY;
    }

    /** {@code read-only}, {@code write-only} or {@code read-write}. */
    public String label() {
        return label;
    }
}
