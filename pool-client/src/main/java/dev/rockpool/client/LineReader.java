package dev.rockpool.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream line by line into byte arrays, through a buffer of its own (a JSON Lines body). Runs a given action
 * before it waits for the stream, so a caller can flush what it made of the lines so far.
 */
final class LineReader implements AutoCloseable {
    private final InputStream in;
    private final Runnable beforeWait;
    private byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;

    LineReader(InputStream in, Runnable beforeWait) {
        this.in = in;
        this.beforeWait = beforeWait;
    }

    /** The next line without its newline; null at the end. A last line cut off without a newline is an error. */
    byte[] readLine() throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    byte[] line = Arrays.copyOfRange(buffer, start, i);
                    start = i + 1;
                    return line;
                }
            }
            scanned = end - start;
            compact();
            if (in.available() <= 0) {
                beforeWait.run();
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                if (end > start) {
                    throw new IOException("stream cut inside a line");
                }
                return null;
            }
            end += n;
        }
    }

    /** Moves the unread bytes to the front, growing the buffer when a line fills it. */
    private void compact() {
        int unread = end - start;
        if (unread == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        } else if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, unread);
        }
        start = 0;
        end = unread;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
