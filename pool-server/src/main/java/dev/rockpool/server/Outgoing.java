package dev.rockpool.server;

import dev.rockpool.filter.Envelope;
import dev.rockpool.pool.Message;

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
            byte[] envelope = Envelope.bytes(message);
            jsonLine = new byte[envelope.length + 1];
            System.arraycopy(envelope, 0, jsonLine, 0, envelope.length);
            jsonLine[envelope.length] = '\n';
        }
        return jsonLine;
    }
}
