package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.filter.MessageFilter;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Server-Sent Events. Each message is one event: {@code event:} the first of the subscriber's event types the
 * message carries (none without event types, so it is a plain {@code message}), {@code id:} where the stream then
 * stands, {@code data:} the envelope (or, for Plasma clients, Plasma's payload). The stream opens with {@code retry:};
 * heartbeats are comment lines; the last error is an {@code error} event whose id says where to resume.
 *
 * <p>An id is the seq of the last message sent from the pool; for a stream over several pools, every pool's, as
 * {@code name:seq} pairs joined by commas (names percent-encoded), and each envelope then names its pool
 * ({@code {"pool":"a","seq":...}}). A client that reconnects with the id in {@code Last-Event-ID} resumes right after
 * it in every pool: nothing lost, nothing twice.
 */
final class SseFraming implements Framing {
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final List<String> pools;
    private final MessageFilter filter;
    private final boolean plasma;
    private final byte[] opening;
    /** Across pools: {@code {"pool":"name",} per pool, which an envelope's own first brace follows. */
    private final byte[][] poolFields;

    private SseFraming(List<String> pools, MessageFilter filter, boolean plasma, Duration retry) {
        this.pools = List.copyOf(pools);
        this.filter = filter;
        this.plasma = plasma;
        this.opening = ("retry: " + retry.toMillis() + "\n\n").getBytes(StandardCharsets.US_ASCII);
        this.poolFields = new byte[pools.size()][];
        for (int i = 0; i < pools.size(); i++) {
            String name = new String(Framing.json(pools.get(i)), StandardCharsets.UTF_8);
            poolFields[i] = ("{\"pool\":" + name + ",").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Events carrying envelopes, over one pool or several; {@code filter}'s event types name the events. */
    static SseFraming envelopes(List<String> pools, MessageFilter filter, Duration retry) {
        return new SseFraming(pools, filter, false, retry);
    }

    /**
     * Plasma's events over one pool: no {@code event:} line (Plasma clients listen to {@code message}), the data
     * {@code {"data":"…","meta":{"type":"…"}}} with the message's data as JSON text and the matching event type.
     */
    static SseFraming plasma(String pool, MessageFilter filter, Duration retry) {
        return new SseFraming(List.of(pool), filter, true, retry);
    }

    @Override
    public byte[] opening() {
        return opening;
    }

    @Override
    public byte[] message(int source, Outgoing message, long[] next) {
        String event = filter.firstOfAnyTags(message.message);
        if (plasma) {
            return message.form("plasma:" + event, o -> event(null, plasmaPayload(o, event),
                    Long.toString(o.message.seq())));
        }
        if (pools.size() == 1) {
            return message.form("sse:" + (event == null ? "" : event), o -> event(event, o.envelope(),
                    Long.toString(o.message.seq())));
        }
        byte[] envelope = message.envelope();
        byte[] field = poolFields[source];
        byte[] data = new byte[field.length + envelope.length - 1];
        System.arraycopy(field, 0, data, 0, field.length);
        System.arraycopy(envelope, 1, data, field.length, envelope.length - 1);
        return event(event, data, id(next));
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public byte[] tooSlow(long[] resume, long limit) {
        String id = id(resume);
        return event("error", Framing.json(ErrorJson.of(Framing.tooSlowError(limit, "Last-Event-ID: " + id,
                pools.size() == 1 ? Long.valueOf(resume[0]) : null))), id);
    }

    @Override
    public byte[] error(PoolException error, long[] next) {
        return event("error", Framing.json(ErrorJson.of(error)), id(next));
    }

    /** The id of a stream that owes {@code next}: the last seq sent from each pool. */
    String id(long[] next) {
        if (pools.size() == 1) {
            return Long.toString(next[0] - 1);
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < pools.size(); i++) {
            if (i > 0) {
                id.append(',');
            }
            id.append(URLEncoder.encode(pools.get(i), StandardCharsets.UTF_8)).append(':').append(next[i] - 1);
        }
        return id.toString();
    }

    /**
     * Reads a {@code Last-Event-ID} for a stream over {@code pools}: per pool, the last seq its client received, or
     * -1 where the id does not name the pool. Usage for an id this server would not have sent.
     */
    static long[] parseId(String id, List<String> pools) {
        long[] last = new long[pools.size()];
        Arrays.fill(last, -1);
        String text = id.strip();
        if (pools.size() == 1 && text.indexOf(':') < 0) {
            last[0] = seqIn(text, id);
            return last;
        }
        for (String pair : text.split(",")) {
            int colon = pair.lastIndexOf(':');
            if (colon < 1) {
                throw badId(id);
            }
            int i = pools.indexOf(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8));
            if (i >= 0) {
                last[i] = seqIn(pair.substring(colon + 1), id);
            }
        }
        return last;
    }

    private static long seqIn(String text, String id) {
        try {
            long seq = Long.parseLong(text);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // the Usage error below
        }
        throw badId(id);
    }

    private static PoolException badId(String id) {
        return new PoolException(ErrorKind.USAGE, "Last-Event-ID '" + id + "' is not an id of this stream", null,
                null, null, "send an id the stream gave (a seq, or name:seq,... for several pools), or none", null);
    }

    private static byte[] event(String event, byte[] data, String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        if (event != null) {
            out.writeBytes(("event: " + event + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("id: " + id + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        out.writeBytes(new byte[] {'\n', '\n'});
        return out.toByteArray();
    }

    /** {@code {"data":"<the data as JSON text>","meta":{"type":"<event type>"}}}: Plasma's payload. */
    private static byte[] plasmaPayload(Outgoing o, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(o.message.dataLength() + 64);
        try (JsonGenerator g = JsonTrees.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("data", o.message.dataString());
            g.writeObjectFieldStart("meta");
            g.writeStringField("type", type);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
