package dev.rockpool.server;

import dev.rockpool.filter.Envelope;
import dev.rockpool.pool.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A message on its way to the streams of a pool. Its wire forms are made on first use and then shared by every
 * stream that sends it, so a message fanned out to a thousand clients is serialised once per form.
 */
final class Outgoing {
    final Message message;
    private byte[] jsonLine;

    Outgoing(Message message) {
        this.message = message;
    }

    /** The compact envelope and a newline: one JSON Lines record. */
    byte[] jsonLine() {
        if (jsonLine == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.dataLength() + 96);
            try {
                Envelope.write(message, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.write('\n');
            jsonLine = out.toByteArray();
        }
        return jsonLine;
    }
}
