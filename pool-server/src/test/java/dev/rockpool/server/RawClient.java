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
        this(server, pathAndQuery, receiveBuffer, "");
    }

    /** {@code headers}: more header lines, each ending with CRLF. */
    RawClient(InetSocketAddress server, String pathAndQuery, int receiveBuffer, String headers) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, 5_000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: test\r\n" + headers + "\r\n")
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

    /** A WebSocket upgrade that then reads nothing until asked: a slow subscriber. */
    static RawClient webSocket(InetSocketAddress server, String pathAndQuery, int receiveBuffer) throws IOException {
        return new RawClient(server, pathAndQuery, receiveBuffer, "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    }

    /**
     * The text of the WebSocket frames the server sends (unmasked, unfragmented), until its close frame; the close
     * code is added last, as text.
     */
    List<String> webSocketTexts() throws IOException {
        List<String> texts = new ArrayList<>();
        while (true) {
            int opcode = in.read() & 0x0f;
            long length = in.read() & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if (opcode == 1) {
                texts.add(new String(payload, StandardCharsets.UTF_8));
            } else if (opcode == 8) {
                texts.add(Integer.toString(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)));
                return texts;
            }
        }
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
