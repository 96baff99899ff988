package dev.rockpool.pool;

import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JsonData#parse}: input already in canonical form is validated and kept; everything else is rewritten. */
class JsonDataTest {
    /** What the rewriting path (token by token through the generator) makes of {@code json}. */
    private static String rewritten(String json) throws IOException {
        try (JsonParser parser = JsonData.FACTORY.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            parser.nextToken();
            return JsonData.read(parser).toString();
        }
    }

    @Test
    void canonicalInputIsStoredExactlyAsTheRewriteWouldStoreIt() throws IOException {
        List<String> canonical = List.of("{}", "{\"a\":1}", "{\"i\":7,\"level\":\"info\",\"msg\":\"a b  c\"}",
                "{\"n\":[1,2.50,-0,1e400,1E-7,{\"x\":null}],\"t\":true,\"f\":false}",
                "{\"u\":\"é ✓ \u2028\",\"s\":\"/\",\"e\":\"\"}", "{\"deep\":{\"a\":{\"b\":[[[]]]}}}");
        for (String json : canonical) {
            assertTrue(JsonData.isCanonicalIfValid(bytes(json), 0, bytes(json).length), json);
            assertEquals(rewritten(json), JsonData.parse(json).toString(), json);
            assertEquals(json, JsonData.parse(json).toString());
        }
        List<String> rewrittenOnes = List.of(" {\"a\":1}", "{\"a\": 1}", "{\"a\":1}\n", "{\"a\":\"\\u00e9\"}",
                "{\"a\":\"\\/\"}", "{\"a\":\"q\\\"\"}", "\uFEFF{\"a\":1}", "{\"a\":[1,\n2]}",
                "{\"a\":\"🦀\"}");
        for (String json : rewrittenOnes) {
            assertFalse(JsonData.isCanonicalIfValid(bytes(json), 0, bytes(json).length), json);
        }
        assertEquals("{\"a\":\"é\"}", JsonData.parse("{\"a\":\"\\u00e9\"}").toString());
        assertEquals("{\"a\":[1,2]}", JsonData.parse("{\"a\":[1,\n2]}").toString());
        assertEquals(rewritten("{\"a\":\"🦀\"}"), JsonData.parse("{\"a\":\"🦀\"}").toString());
        byte[] framed = bytes("xx{\"a\":1}yy");
        assertEquals("{\"a\":1}", JsonData.parse(framed, 2, 7).toString(), "a range of a larger buffer");
    }

    @Test
    void canonicalLookingInputIsStillValidated() {
        List<String> invalid = List.of("{\"a\":1,\"a\":2}", "{\"a\":}", "{\"a\":1}{}", "{\"a\":1", "{\"a\":tru}",
                "{\"a\":\"x\u0001\"}", "{\"a\":01}", "{a:1}", "{\"a\":1,}", "[1]", "{\"a\":\"\"\"}");
        for (String json : invalid) {
            PoolException e = assertThrows(PoolException.class, () -> JsonData.parse(json), json);
            assertEquals(ErrorKind.USAGE, e.kind(), json);
        }
        byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThrows(PoolException.class, () -> JsonData.parse(badUtf8));
        byte[] truncatedUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x9C, '"', '}'};
        assertThrows(PoolException.class, () -> JsonData.parse(truncatedUtf8));
    }

    @Test
    void errorsSayWhatAndWhereWithoutTheParsersSourceDescription() {
        for (String json : List.of("{\"a\":1", "{\"a\":[1,2}", "{\"a\":tru}", "{\n\"a\": 1,\n}")) {
            String message = assertThrows(PoolException.class, () -> JsonData.parse(json)).getMessage();
            assertTrue(message.startsWith("invalid JSON: "), message);
            assertTrue(message.matches(".*\\(line \\d+, column \\d+\\)$"), message);
            assertFalse(message.contains("Source:") || message.contains("REDACTED"), message);
        }
    }

    /**
     * Only strict UTF-8 is kept as it came: input that Jackson reads anyway (UTF-16 guessed from zero bytes, overlong
     * forms) is rewritten as UTF-8, so stored data always passes {@link JsonData#check}; encoded surrogates it refuses.
     */
    @Test
    void inputThatIsNotStrictUtf8IsRewrittenAsUtf8() {
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        assertFalse(JsonData.isCanonicalIfValid(utf16, 0, utf16.length));
        assertEquals("{\"a\":1}", JsonData.parse(utf16).toString());
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertFalse(JsonData.isCanonicalIfValid(overlong, 0, overlong.length));
        byte[] stored = JsonData.parse(overlong).bytes();
        JsonData.check(stored, 0, stored.length);
        byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> JsonData.parse(surrogate)).kind());
    }

    @Test
    void checkAcceptsStoredDataOnly() throws IOException {
        for (String json : List.of("{}", "{\"a\":1}", "{\"u\":\"é ✓ 🦀\",\"n\":[1,{\"x\":null}]}")) {
            JsonData.check(bytes(json), 0, bytes(json).length);
            assertEquals(JsonTrees.MAPPER.readTree(JsonData.parse(json).bytes()),
                    JsonData.tree(bytes(json), 0, bytes(json).length));
        }
        byte[] framed = bytes("xx{\"a\":1}yy");
        JsonData.check(framed, 2, 7);
        List<byte[]> refused = List.of(bytes("[1]"), bytes(" {}"), bytes("{} "), bytes("{\"a\":1}{}"),
                bytes("{\"a\":1,\"a\":2}"), bytes("\uFEFF{}"), bytes("{"), bytes("}"), new byte[0],
                "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE),
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'});
        for (byte[] b : refused) {
            assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> JsonData.check(b, 0, b.length),
                    () -> new String(b, StandardCharsets.ISO_8859_1)).kind());
            assertThrows(PoolException.class, () -> JsonData.tree(b, 0, b.length));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
