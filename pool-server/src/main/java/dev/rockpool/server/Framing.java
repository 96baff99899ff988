package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;

/**
 * How a stream puts its opening, messages, heartbeats and last error on the wire. A stream reads one or more pools
 * (its sources, by index); where it stands in each is an array of positions, {@code next[i]} being the seq of source
 * {@code i} it still owes (every earlier one was queued or filtered out), which the stream keeps and passes in.
 */
interface Framing {
    /** The bytes that open the stream (may be empty). */
    byte[] opening();

    /** The bytes that carry one message of a source; {@code next} already counts it as sent. */
    byte[] message(int source, Outgoing message, long[] next);

    /** Bytes that keep a quiet connection open, or null when this wire has none. */
    byte[] heartbeat();

    /** The last frame of a client cut off for reading too slowly: it resumes at {@code resume}. */
    byte[] tooSlow(long[] resume, long limit);

    /** The bytes that carry the stream's last error, sent after everything queued (up to {@code next}). */
    byte[] error(PoolException error, long[] next);

    /** The error of a client that fell more than {@code limit} bytes behind; {@code where} says how to resume. */
    static PoolException tooSlowError(long limit, String where, Long seq) {
        return new PoolException(ErrorKind.BUSY, "client too slow: more than " + limit + " bytes waited to be sent; "
                + "resume with " + where, null, seq, null, "read faster, or ask for less (tag=, where=), and resume "
                + "with " + where, null);
    }

    /** JSON Lines: each message's envelope on a line; a last error is its error envelope on a line. */
    Framing JSON_LINES = new Framing() {
        @Override
        public byte[] opening() {
            return new byte[0];
        }

        @Override
        public byte[] message(int source, Outgoing message, long[] next) {
            return message.jsonLine();
        }

        @Override
        public byte[] heartbeat() {
            return null;
        }

        @Override
        public byte[] tooSlow(long[] resume, long limit) {
            return jsonLine(ErrorJson.of(tooSlowError(limit, "since_seq=" + resume[0], resume[0])));
        }

        @Override
        public byte[] error(PoolException error, long[] next) {
            return jsonLine(ErrorJson.of(error));
        }
    };

    /** A JSON value as compact bytes and a newline. */
    static byte[] jsonLine(Object value) {
        byte[] json = json(value);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /** A JSON value as compact bytes. */
    static byte[] json(Object value) {
        try {
            return JsonTrees.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
