package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jq semantics of the shared filters for the expressions people write in {@code --where} and {@code filter.where}:
 * each case has the outputs real jq 1.7 gives (checked in, so CI needs no jq); when a {@code jq} binary is installed,
 * {@link #realJqAgrees()} also runs every case through it.
 */
class JqSemanticsTest {
    /** The envelope the cases run on. */
    static final String ENVELOPE = "{\"seq\":42,\"time\":\"2026-11-22T01:02:03.456789Z\","
            + "\"meta\":{\"tags\":[\"db\",\"sev1\"]},"
            + "\"data\":{\"level\":\"error\",\"n\":4,\"ratio\":0.5,\"msg\":\"Gateway timeout after 30s\","
            + "\"user\":{\"id\":7,\"roles\":[\"admin\",\"ops\"]},\"empty\":null}}";

    /** expression → the outputs of real jq, one JSON text each. */
    static final String[][] CASES = {
        {".data.level == \"error\"", "true"},
        {".data.level != \"error\"", "false"},
        {".data.n > 2 and .data.n < 5", "true"},
        {".data.n >= 5 or .seq == 42", "true"},
        {"(.data.n > 2) | not", "false"},
        {".data.msg | test(\"timeout\")", "true"},
        {".data.msg | test(\"^gateway\")", "false"},
        {".data.msg | test(\"^gateway\"; \"i\")", "true"},
        {".data.msg | test(\"[0-9]+s$\")", "true"},
        {".meta.tags | index(\"sev1\")", "1"},
        {".meta.tags | index(\"nope\")", "null"},
        {".meta.tags | index(\"sev1\") != null", "true"},
        {".meta.tags | any(. == \"sev1\")", "true"},
        {"any(.meta.tags[]; . == \"ops\")", "false"},
        {".data.user.roles | all(length > 2)", "true"},
        {".meta.tags | contains([\"db\"])", "true"},
        {".data.msg | contains(\"way\")", "true"},
        {".data | has(\"msg\")", "true"},
        {".data | has(\"nope\")", "false"},
        {"\"\\(.data.level):\\(.seq)\"", "\"error:42\""},
        {"\"n=\\(.data.n + 1)\" == \"n=5\"", "true"},
        {".data.missing // \"default\"", "\"default\""},
        {".data.empty == null", "true"},
        {".data.user.id * 2 + .data.ratio", "14.5"},
        {".data.n % 3", "1"},
        {".data.n | tostring", "\"4\""},
        {".data.level | ascii_upcase", "\"ERROR\""},
        {".data.msg | split(\" \") | .[0]", "\"Gateway\""},
        {".data.msg | startswith(\"Gate\")", "true"},
        {".data.msg | endswith(\"30s\")", "true"},
        {".data.msg | ltrimstr(\"Gateway \")", "\"timeout after 30s\""},
        {".data.msg | length", "25"},
        {".meta.tags | length > 1", "true"},
        {"[.meta.tags[] | select(startswith(\"s\"))]", "[\"sev1\"]"},
        {".data | keys", "[\"empty\",\"level\",\"msg\",\"n\",\"ratio\",\"user\"]"},
        {".data.user | to_entries | map(.key)", "[\"id\",\"roles\"]"},
        {"[.data.n, .data.user.id] | add", "11"},
        {"[.data.n, .data.user.id] | max", "7"},
        {"if .data.n > 2 then \"big\" else \"small\" end", "\"big\""},
        {".data.n as $n | $n * $n", "16"},
        {"select(.seq > 40) | .seq", "42"},
        {"select(.seq > 50) | .seq"},
        {".meta.tags[]", "\"db\"", "\"sev1\""},
        {".time | test(\"Z$\")", "true"},
        {".time < \"2026-11-23\"", "true"},
        {".data.user.roles | map(ascii_upcase) | join(\",\")", "\"ADMIN,OPS\""},
        {".data.ratio == 0.5", "true"},
        {".data.n == 4.0", "true"},
        {"[.data.user.roles[] | length] | sort", "[3,5]"},
        {".data | type", "\"object\""},
        {".data.level | (. == \"error\" or . == \"warn\")", "true"},
        {".data.msg | ascii_downcase | test(\"gate\")", "true"},
        {"(.data.msg | capture(\"after (?<secs>[0-9]+)s\")).secs | tonumber", "30"},
        {".data.user.roles | first", "\"admin\""},
        {"[limit(1; .meta.tags[])]", "[\"db\"]"},
        {".data | del(.msg) | has(\"msg\")", "false"},
        {"try error(\"x\") catch .", "\"x\""},
    };

    @Test
    void jacksonJqGivesWhatRealJqGives() throws Exception {
        JsonNode envelope = JsonTrees.MAPPER.readTree(ENVELOPE);
        for (String[] c : CASES) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i < c.length; i++) {
                expected.add(canonical(JsonTrees.MAPPER.readTree(c[i])));
            }
            List<String> actual = new ArrayList<>();
            for (JsonNode out : JqExpression.compile(c[0]).apply(envelope)) {
                actual.add(canonical(out));
            }
            assertEquals(expected, actual, c[0]);
        }
    }

    @Test
    void predicatesKeepOnTrueDropOnFalseOrRuntimeErrorAndRefuseNonBooleans() throws Exception {
        ObjectNode envelope = (ObjectNode) JsonTrees.MAPPER.readTree(ENVELOPE);
        assertTrue(JqPredicate.compile(".data.level == \"error\"").test(envelope));
        assertFalse(JqPredicate.compile(".data.level == \"info\"").test(envelope));
        assertFalse(JqPredicate.compile(".data.n | test(\"x\")").test(envelope), "test() on a number: error");
        assertFalse(JqPredicate.compile(".data.msg.deeper == 1").test(envelope), "indexing a string: error");
        assertFalse(JqPredicate.compile("select(false)").test(envelope), "no output: dropped");
        assertTrue(JqPredicate.compile(".meta.tags[] | . == \"sev1\"").test(envelope), "any output true keeps");
        PoolException notBoolean = assertThrows(PoolException.class,
                () -> JqPredicate.compile(".data.n").test(envelope));
        assertTrue(notBoolean.getMessage().contains("must yield true or false"));
        assertThrows(PoolException.class, () -> JqPredicate.compile(".data | ]["));
        assertThrows(PoolException.class, () -> JqPredicate.compile(" "));
        // What jackson-jq lacks (e.g. IN/1) is a Usage error on the first message, never a silent drop of all.
        JqPredicate in = JqPredicate.compile(".data.level | IN(\"error\", \"warn\")");
        PoolException unsupported = assertThrows(PoolException.class, () -> in.test(envelope));
        assertTrue(unsupported.getMessage().contains("IN/1"), unsupported.getMessage());
    }

    static boolean jqInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, "jq").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Every case through the real jq binary, when there is one (local checks; CI has none). */
    @Test
    @EnabledIf("jqInstalled")
    void realJqAgrees() throws Exception {
        File input = File.createTempFile("envelope", ".json");
        try {
            Files.writeString(input.toPath(), ENVELOPE);
            for (String[] c : CASES) {
                Process p = new ProcessBuilder("jq", "-c", c[0], input.getPath()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), c[0] + ": " + out);
                List<String> real = new ArrayList<>();
                for (String line : out.split("\n")) {
                    if (!line.isBlank()) {
                        real.add(canonical(JsonTrees.MAPPER.readTree(line)));
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int i = 1; i < c.length; i++) {
                    expected.add(canonical(JsonTrees.MAPPER.readTree(c[i])));
                }
                assertEquals(expected, real, "real jq on " + c[0]);
            }
        } finally {
            Files.delete(input.toPath());
        }
    }

    /** JSON text with numbers compared by value (jq prints 16, jackson-jq may hold 16.0). */
    static String canonical(JsonNode n) throws IOException {
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            return d.signum() == 0 ? "0" : d.toPlainString();
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : n) {
                items.add(canonical(item));
            }
            return "[" + String.join(",", items) + "]";
        }
        if (n.isObject()) {
            List<String> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.add(JsonTrees.MAPPER.writeValueAsString(e.getKey()) + ":" + canonical(e.getValue()));
            }
            return "{" + String.join(",", fields) + "}";
        }
        return JsonTrees.MAPPER.writeValueAsString(n);
    }
}
