package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.Envelope;
import dev.rockpool.filter.PoolInfoJson;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The request-response routes of the protocol: pools (create, open, list, info, delete) and messages (append, batch
 * append, get). Each answers on the calling thread: these are short, and an append waits only for the pool's writer
 * lock.
 */
final class PoolRoutes {
    private static final byte[] MESSAGE_PREFIX = "{\"message\":".getBytes(StandardCharsets.US_ASCII);

    private final PoolHandles pools;
    private final ServerMetrics metrics;
    private final long maxBody;

    PoolRoutes(PoolHandles pools, ServerMetrics metrics, long maxBody) {
        this.pools = pools;
        this.metrics = metrics;
        this.maxBody = maxBody;
    }

    void create(Exchange x) {
        x.readBody(maxBody, body -> {
            Bodies.Create c = Bodies.create(body);
            PoolOptions options = new PoolOptions(c.sizeBytes() == null ? PoolOptions.DEFAULT_SIZE : c.sizeBytes(),
                    c.indexCapacity() == null ? 0 : positive(c.indexCapacity(), "index_capacity"));
            Pool pool = pools.create(c.pool(), options);
            x.json(wrap("pool", PoolInfoJson.of(c.pool(), pool.info(), TimeFormat.nowNanos())));
        });
    }

    void open(Exchange x) {
        x.readBody(maxBody, body -> {
            String name = Bodies.open(body);
            x.json(wrap("pool", PoolInfoJson.of(name, pools.get(name).info(), TimeFormat.nowNanos())));
        });
    }

    void info(Exchange x) {
        x.json(wrap("pool", PoolInfoJson.of(x.pool(), pools.get(x.pool()).info(), TimeFormat.nowNanos())));
    }

    /**
     * Every pool of the directory. One that cannot be read is listed with its {@code error} (and the fields a
     * plasmite client requires), so one bad file does not hide the others.
     */
    void list(Exchange x) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        long now = TimeFormat.nowNanos();
        for (Path file : pools.directory().list()) {
            String name = PoolDirectory.nameOf(file);
            try {
                list.add(PoolInfoJson.of(name, pools.get(name).info(), now));
            } catch (PoolException e) {
                ObjectNode entry = list.addObject().put("name", name).put("path", file.toString())
                        .put("file_size", size(file)).put("ring_offset", 0).put("ring_size", 0);
                entry.set("error", dev.rockpool.filter.ErrorJson.of(e).get("error"));
            }
        }
        x.json(wrap("pools", list));
    }

    void delete(Exchange x) {
        pools.delete(x.pool());
        x.json(JsonNodeFactory.instance.objectNode().put("ok", true));
    }

    /** {@code {"message": envelope}}: the message as stored, data included, as plasmite answers. */
    void append(Exchange x) {
        String name = x.pool();
        x.readBody(maxBody, body -> x.send(200, Exchange.JSON, messageBody(append(name, body))));
    }

    /**
     * Appends the message of an append body ({@code {"data","tags"?,"durability"?}}, as {@code POST .../append} and
     * a WebSocket's text frames carry it) to a pool; the message as stored.
     */
    Message append(String name, byte[] body) {
        Bodies.Append a = Bodies.append(body);
        Pool pool = pools.get(name);
        AppendResult r = pool.append(Draft.of(a.data(), a.tags()), a.durability());
        metrics.appended(name, 1);
        return Message.of(r.seq(), r.timeNanos(), a.tags(), null, a.data());
    }

    /**
     * The body's JSON objects (one per line), appended under one lock acquisition with the query's {@code tag}s and
     * {@code durability}: all or none. {@code {"messages":[receipt...]}}, a receipt being seq, time and tags.
     */
    void appendBatch(Exchange x) {
        String name = x.pool();
        List<String> tags = x.query().getValuesOrEmpty("tag");
        String durabilityText = x.query().getValue("durability");
        Durability durability = durabilityText == null ? Durability.FAST : Durability.parse(durabilityText);
        x.readBody(maxBody, body -> {
            List<JsonData> records = Bodies.batch(body);
            List<Draft> drafts = new ArrayList<>(records.size());
            records.forEach(data -> drafts.add(Draft.of(data, tags)));
            List<AppendResult> results = pools.get(name).appendBatch(drafts, durability);
            metrics.appended(name, results.size());
            x.send(200, Exchange.JSON, receipts(results, tags));
        });
    }

    void get(Exchange x) {
        // The engine's NotFound: whether the message was overwritten or is not written yet, and the pool's bounds.
        Message m = pools.get(x.pool()).fetch(parseSeq(x.vars.get(1)));
        x.send(200, Exchange.JSON, messageBody(m));
    }

    static long parseSeq(String text) {
        try {
            long seq = Long.parseLong(text);
            if (seq >= 1) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // the Usage error below
        }
        throw new PoolException(ErrorKind.USAGE, "seq=" + text + ": expected a whole number of at least 1");
    }

    private static byte[] messageBody(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.dataLength() + 128);
        try {
            out.write(MESSAGE_PREFIX);
            Envelope.write(m, out);
            out.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] receipts(List<AppendResult> results, List<String> tags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(results.size() * 80 + 16);
        try (JsonGenerator g = JsonTrees.MAPPER.getFactory().createGenerator(out)) {
            // One publish: every receipt has the same time and tags.
            String time = results.isEmpty() ? "" : TimeFormat.format(results.get(0).timeNanos());
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            for (AppendResult r : results) {
                writeReceipt(g, r.seq(), r.timeNanos() == results.get(0).timeNanos() ? time
                        : TimeFormat.format(r.timeNanos()), tags);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A receipt: {@code {"seq","time","meta":{"tags"}}}. */
    static void writeReceipt(JsonGenerator g, long seq, String time, List<String> tags) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", seq);
        g.writeStringField("time", time);
        g.writeObjectFieldStart("meta");
        g.writeArrayFieldStart("tags");
        for (String tag : tags) {
            g.writeString(tag);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static long positive(long value, String field) {
        if (value < 1) {
            throw new PoolException(ErrorKind.USAGE, field + "=" + value + ": must be at least 1");
        }
        return value;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static ObjectNode wrap(String field, com.fasterxml.jackson.databind.JsonNode value) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(field, value);
        return o;
    }
}
