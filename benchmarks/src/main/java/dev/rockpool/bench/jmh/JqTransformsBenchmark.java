package dev.rockpool.bench.jmh;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.bench.Payloads;
import dev.rockpool.connect.transforms.JqMatches;
import dev.rockpool.connect.transforms.JqTransform;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * rockpool's jq plugins on one core, each beside hand-written Java doing the same work (the floor): the predicate
 * {@code JqMatches$Value} with {@code .level == "error"} over 128-byte JSON values as {@code byte[]} (what the
 * ByteArrayConverter hands over) and as schemaless maps (what JsonConverter with {@code schemas.enable=false} hands
 * over), and the transformation {@code JqTransform$Value} with {@code {level, msg}} over the same two forms. One
 * value in eight is an error. Each invocation runs over 1,024 distinct records; the score is records per second.
 *
 * <p>The floors: for bytes, a streaming Jackson parser that reads the top-level fields until {@code level} (no tree,
 * no validation of the rest) and, for the transformation, Jackson's tree read, a new two-field object and its bytes;
 * for maps, {@code "error".equals(map.get("level"))} and a new two-entry map.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JqTransformsBenchmark {
    private static final int RECORDS = 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Bytes of each JSON value. */
    @Param({"128"})
    public int size;

    private SourceRecord[] bytesRecords;
    private SourceRecord[] mapRecords;
    private JqMatches<SourceRecord> matches;
    private JqTransform<SourceRecord> shape;

    @Setup(Level.Trial)
    public void setUp() {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false"), false);
        bytesRecords = new SourceRecord[RECORDS];
        mapRecords = new SourceRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            byte[] value = value(size, i);
            bytesRecords[i] = record(Schema.OPTIONAL_BYTES_SCHEMA, value);
            mapRecords[i] = record(null, json.toConnectData("t", value).value());
        }
        matches = new JqMatches.Value<>();
        matches.configure(Map.of("query", ".level == \"error\""));
        shape = new JqTransform.Value<>();
        shape.configure(Map.of("query", "{level, msg}"));
    }

    /** {@code size} bytes of JSON; one in eight has level "error" (and a message one character shorter). */
    static byte[] value(int size, int i) {
        String json = new String(Payloads.json(size, i), StandardCharsets.US_ASCII);
        if (i % 8 == 0) {
            json = json.replace("\"level\":\"info\"", "\"level\":\"error\"");
            json = json.substring(0, json.length() - 3) + "\"}";
        }
        return json.getBytes(StandardCharsets.US_ASCII);
    }

    private static SourceRecord record(Schema schema, Object value) {
        return new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, schema, value, 0L);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int jqMatchesBytes() {
        int matched = 0;
        for (SourceRecord r : bytesRecords) {
            matched += matches.test(r) ? 1 : 0;
        }
        return matched;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int javaMatchesBytes() throws IOException {
        int matched = 0;
        for (SourceRecord r : bytesRecords) {
            matched += levelIsError((byte[]) r.value()) ? 1 : 0;
        }
        return matched;
    }

    private static boolean levelIsError(byte[] json) throws IOException {
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("level".equals(name)) {
                    return value == JsonToken.VALUE_STRING && "error".equals(parser.getText());
                }
                parser.skipChildren();
            }
            return false;
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int jqMatchesMap() {
        int matched = 0;
        for (SourceRecord r : mapRecords) {
            matched += matches.test(r) ? 1 : 0;
        }
        return matched;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int javaMatchesMap() {
        int matched = 0;
        for (SourceRecord r : mapRecords) {
            matched += "error".equals(((Map<?, ?>) r.value()).get("level")) ? 1 : 0;
        }
        return matched;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void jqTransformBytes(Blackhole bh) {
        for (SourceRecord r : bytesRecords) {
            bh.consume(shape.apply(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void javaTransformBytes(Blackhole bh) throws IOException {
        for (SourceRecord r : bytesRecords) {
            JsonNode in = MAPPER.readTree((byte[]) r.value());
            ObjectNode out = MAPPER.createObjectNode();
            out.set("level", in.get("level"));
            out.set("msg", in.get("msg"));
            bh.consume(r.newRecord(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), r.valueSchema(),
                    MAPPER.writeValueAsBytes(out), r.timestamp()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void jqTransformMap(Blackhole bh) {
        for (SourceRecord r : mapRecords) {
            bh.consume(shape.apply(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void javaTransformMap(Blackhole bh) {
        for (SourceRecord r : mapRecords) {
            Map<?, ?> in = (Map<?, ?>) r.value();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("level", in.get("level"));
            out.put("msg", in.get("msg"));
            bh.consume(r.newRecord(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), null, out,
                    r.timestamp()));
        }
    }
}
