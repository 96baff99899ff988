package dev.rockpool.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered stdout of a command. A write failure means the reader went away (a closed pipe); it becomes
 * {@link Closed}, which ends the command quietly with exit 0 rather than as an I/O error. An output made with
 * {@link #discardingWhenClosed} instead drops everything from then on: {@code feed}'s receipts are a courtesy, and
 * a reader that leaves early ({@code | head -1}) must not stop the ingest.
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
    private final boolean discardWhenClosed;
    private boolean discarding;

    Output(OutputStream raw) {
        this(raw, false);
    }

    private Output(OutputStream raw, boolean discardWhenClosed) {
        this.out = new BufferedOutputStream(raw, 1 << 16);
        this.discardWhenClosed = discardWhenClosed;
    }

    /** An output that silently drops what is written after its reader went away. */
    static Output discardingWhenClosed(OutputStream raw) {
        return new Output(raw, true);
    }

    private void failed(IOException e) {
        if (!discardWhenClosed) {
            throw new Closed(e);
        }
        discarding = true;
    }

    /** One write to the buffered stream. */
    @FunctionalInterface
    private interface Write {
        void to(OutputStream out) throws IOException;
    }

    private void attempt(Write write) {
        if (discarding) {
            return;
        }
        try {
            write.to(out);
        } catch (IOException e) {
            failed(e);
        }
    }

    void write(byte[] bytes) {
        attempt(o -> o.write(bytes));
    }

    /**
     * Writes a whole rendered piece (one message) in one call: the buffer is flushed before it or it passes through
     * whole, so what reaches stdout ends between two pieces, never inside one.
     */
    void write(ByteArrayOutputStream piece) {
        attempt(piece::writeTo);
    }

    void write(int b) {
        attempt(o -> o.write(b));
    }

    /** Writes a line of text and a newline. */
    void line(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
        write('\n');
    }

    void flush() {
        attempt(OutputStream::flush);
    }
}
