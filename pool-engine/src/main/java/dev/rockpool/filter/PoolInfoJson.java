package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.HeaderDescriptor;
import dev.rockpool.pool.IndexDescriptor;
import dev.rockpool.pool.PoolInfo;

import java.nio.file.Path;

/**
 * The JSON description of a pool: plasmite's pool info (name, path, the file layout, {@code bounds}, and
 * {@code metrics} with utilization and age) plus rockpool's own fields (pool id, format version, next seq, the same
 * figures at the top level as {@code pool info --json} prints them). Snake case throughout.
 */
public final class PoolInfoJson {
    private PoolInfoJson() {
    }

    /** The description of pool {@code name}, as of {@code nowNanos} for the ages. */
    public static ObjectNode of(String name, PoolInfo info, long nowNanos) {
        boolean empty = info.messageCount() == 0;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("path", info.path().toString());
        o.put("pool_id", info.poolId());
        o.put("format_version", info.formatVersion());
        o.put("file_size", info.fileSize());
        o.put("index_offset", HeaderDescriptor.FILE_HEADER_LENGTH);
        o.put("index_capacity", info.indexCapacity());
        o.put("index_size_bytes", info.indexCapacity() * IndexDescriptor.SLOT_LENGTH);
        o.put("ring_offset", IndexDescriptor.ringOffset(info.indexCapacity()));
        o.put("ring_size", info.ringCapacity());
        ObjectNode bounds = o.putObject("bounds");
        if (!empty) {
            bounds.put("oldest", info.oldestSeq());
            bounds.put("newest", info.newestSeq());
        }
        o.put("next_seq", info.nextSeq());
        o.put("message_count", info.messageCount());
        o.put("used_bytes", info.bytesUsed());
        o.put("free_bytes", info.bytesFree());
        o.put("used_percent", usedPercent(info));
        putTime(o, "oldest_time", info.oldestTimeNanos(), empty);
        putTime(o, "newest_time", info.newestTimeNanos(), empty);
        o.put("created", TimeFormat.format(info.createdNanos()));
        ObjectNode metrics = o.putObject("metrics");
        metrics.put("message_count", info.messageCount());
        metrics.put("seq_span", empty ? 0 : info.newestSeq() - info.oldestSeq() + 1);
        metrics.putObject("utilization").put("used_bytes", info.bytesUsed()).put("free_bytes", info.bytesFree())
                .put("used_percent", usedPercent(info));
        ObjectNode age = metrics.putObject("age");
        putTime(age, "oldest_time", info.oldestTimeNanos(), empty);
        putTime(age, "newest_time", info.newestTimeNanos(), empty);
        putAge(age, "oldest_age_ms", info.oldestTimeNanos(), nowNanos, empty);
        putAge(age, "newest_age_ms", info.newestTimeNanos(), nowNanos, empty);
        return o;
    }

    /** The pool info a description gives (the inverse of {@link #of}); absent fields read as 0 or empty. */
    public static PoolInfo parse(JsonNode o) {
        return new PoolInfo(Path.of(o.path("path").asText(o.path("name").asText())), o.path("pool_id").asText(""),
                o.path("format_version").asInt(), o.path("file_size").asLong(), o.path("ring_size").asLong(),
                o.path("index_capacity").asLong(), o.path("message_count").asLong(),
                o.path("bounds").path("oldest").asLong(), o.path("bounds").path("newest").asLong(),
                o.path("next_seq").asLong(), time(o.path("oldest_time")), time(o.path("newest_time")),
                o.path("used_bytes").asLong(), o.path("free_bytes").asLong(), time(o.path("created")));
    }

    private static double usedPercent(PoolInfo info) {
        double percent = info.ringCapacity() == 0 ? 0 : 100.0 * info.bytesUsed() / info.ringCapacity();
        return Math.round(percent * 100) / 100.0;
    }

    private static void putTime(ObjectNode o, String field, long nanos, boolean empty) {
        if (empty) {
            o.putNull(field);
        } else {
            o.put(field, TimeFormat.format(nanos));
        }
    }

    private static void putAge(ObjectNode o, String field, long nanos, long nowNanos, boolean empty) {
        if (empty) {
            o.putNull(field);
        } else {
            o.put(field, Math.max(0, (nowNanos - nanos) / 1_000_000));
        }
    }

    private static long time(JsonNode text) {
        return text.isTextual() ? TimeFormat.parseRfc3339(text.asText()) : 0;
    }
}
