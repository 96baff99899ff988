package dev.rockpool.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 stream client on a plain socket, for what the JDK's client hides: reading slowly (or not at all),
 * closing mid-stream, and the body's chunks decoded by hand into lines.
 */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    /** The status line and headers. */
    final String head;

    RawClient(InetSocketAddress server, String pathAndQuery, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, 5_000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: test\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        in = new java.io.BufferedInputStream(socket.getInputStream());
        head = readUntil("\r\n\r\n");
    }

    int status() {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The body's lines until the end of the chunked body. */
    List<String> lines() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readUntil("\r\n").trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(in.readNBytes(size));
            readUntil("\r\n");
        }
        List<String> lines = new ArrayList<>();
        for (String line : body.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private String readUntil(String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] tail = end.getBytes(StandardCharsets.ISO_8859_1);
        int matched = 0;
        while (matched < tail.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + out.toString(StandardCharsets.ISO_8859_1));
            }
            out.write(b);
            matched = b == tail[matched] ? matched + 1 : b == tail[0] ? 1 : 0;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
