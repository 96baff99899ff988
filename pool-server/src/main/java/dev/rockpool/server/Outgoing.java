package dev.rockpool.server;

import dev.rockpool.filter.Envelope;
import dev.rockpool.pool.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A message on its way to the subscribers of a pool. Its wire forms are made on first use and then shared by every
 * subscriber that sends it, so a message fanned out to a thousand clients is serialised once per form. Used by the
 * pool's feed thread only.
 */
final class Outgoing {
    final Message message;
    private byte[] envelope;
    private byte[] jsonLine;
    private Map<String, byte[]> forms;

    Outgoing(Message message) {
        this.message = message;
    }

    /** The compact envelope. */
    byte[] envelope() {
        if (envelope == null) {
            envelope = Envelope.bytes(message);
        }
        return envelope;
    }

    /** The compact envelope and a newline: one JSON Lines record. */
    byte[] jsonLine() {
        if (jsonLine == null) {
            byte[] env = envelope();
            jsonLine = new byte[env.length + 1];
            System.arraycopy(env, 0, jsonLine, 0, env.length);
            jsonLine[env.length] = '\n';
        }
        return jsonLine;
    }

    /**
     * Another wire form, made by {@code make} the first time {@code key} is asked for (an SSE event of a given
     * type, a WebSocket frame): the same key must always make the same bytes.
     */
    byte[] form(String key, Function<Outgoing, byte[]> make) {
        if (forms == null) {
            forms = new HashMap<>(4);
        }
        return forms.computeIfAbsent(key, k -> make.apply(this));
    }
}
