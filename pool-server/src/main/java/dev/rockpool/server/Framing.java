package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;

/** How a stream puts messages and its last error on the wire. */
interface Framing {
    /** The bytes that carry one message. */
    byte[] message(Outgoing message);

    /** The bytes that carry the stream's last error. */
    byte[] error(PoolException error);

    /** JSON Lines: each message's envelope on a line; a last error is its error envelope on a line. */
    Framing JSON_LINES = new Framing() {
        @Override
        public byte[] message(Outgoing message) {
            return message.jsonLine();
        }

        @Override
        public byte[] error(PoolException error) {
            return jsonLine(ErrorJson.of(error));
        }
    };

    /** A JSON value as compact bytes and a newline. */
    static byte[] jsonLine(Object value) {
        try {
            byte[] json = JsonTrees.MAPPER.writeValueAsBytes(value);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
