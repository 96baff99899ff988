package dev.rockpool.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered stdout of a command. A write failure means the reader went away (a closed pipe); it becomes
 * {@link Closed}, which ends the command quietly with exit 0 rather than as an I/O error.
 */
final class Output {
    /** Thrown when stdout cannot be written any more. */
    static final class Closed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Closed(IOException cause) {
            super("stdout closed", cause);
        }
    }

    private final BufferedOutputStream out;

    Output(OutputStream raw) {
        this.out = new BufferedOutputStream(raw, 1 << 16);
    }

    /** The buffered stream (callers must translate IOExceptions with {@link #closed}). */
    OutputStream stream() {
        return out;
    }

    void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new Closed(e);
        }
    }

    void write(byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new Closed(e);
        }
    }

    void write(int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new Closed(e);
        }
    }

    /** Writes a line of text and a newline. */
    void line(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
        write('\n');
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new Closed(e);
        }
    }

    static Closed closed(IOException e) {
        return new Closed(e);
    }
}
