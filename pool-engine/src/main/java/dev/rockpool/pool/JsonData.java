package dev.rockpool.pool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The data of a message: a JSON object as compact UTF-8 text. Built only through the factories, which validate and
 * compact (or, for {@link #trusted}, take bytes that are already known to be a compact object, such as the data of
 * another pool's message), so an append never stores anything else.
 */
public final class JsonData {
    /**
     * Shared, thread-safe factory of Jackson's streaming parsers and generators: duplicate keys are refused so stored
     * data means one thing. Trees (for jq) come from {@link JsonTrees#MAPPER}, which reads JSON the same way.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The patterns that clean the parser's messages: compiled with the first invalid input, not at every start. */
    private static final class Noise {
        /** Where the parser says an unclosed object or array started: the position that follows says enough. */
        static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[Source:.*?\\]\\)");
        /** The parser's description of its input and a position in it ({@code [Source: ...; line: 1, column: 6]}). */
        static final Pattern SOURCE_NOISE = Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]");
    }

    private final byte[] bytes;

    private JsonData(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Parses JSON text; a Usage error if it is not exactly one JSON object. */
    public static JsonData parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses UTF-8 JSON; a Usage error if it is not exactly one JSON object. */
    public static JsonData parse(byte[] json) {
        return parse(json, 0, json.length);
    }

    /** Parses UTF-8 JSON in {@code json[offset, offset+length)}; a Usage error if it is not exactly one object. */
    public static JsonData parse(byte[] json, int offset, int length) {
        boolean canonical = isCanonicalIfValid(json, offset, length);
        try (JsonParser parser = FACTORY.createParser(json, offset, length)) {
            if (parser.nextToken() == null) {
                throw new PoolException(ErrorKind.USAGE, "empty input: expected a JSON object");
            }
            JsonData data;
            if (canonical && parser.currentToken() == JsonToken.START_OBJECT) {
                // Already in the form read() would write: validate (syntax, UTF-8, duplicate keys) and keep it.
                parser.skipChildren();
                data = new JsonData(Arrays.copyOfRange(json, offset, offset + length));
            } else {
                data = read(parser);
            }
            checkEnd(parser);
            return data;
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Checks that {@code json[offset, offset+length)} is data as an append stores it: one compact JSON object in
     * strict UTF-8 that {@link #parse} accepts (no duplicate keys), from its first byte to its last. Builds nothing:
     * one streaming pass, for bytes that are about to be emitted as JSON without being parsed (a pool's frames can be
     * forged). A Usage error saying what is wrong otherwise.
     */
    public static void check(byte[] json, int offset, int length) {
        checkFraming(json, offset, length);
        try (JsonParser parser = FACTORY.createParser(json, offset, length)) {
            parser.nextToken();
            parser.skipChildren();
            checkEnd(parser);
        } catch (IOException e) {
            throw invalid(e);
        }
        checkUtf8(json, offset, length);
    }

    /** Parses stored data into a tree, with the checks of {@link #check}; a Usage error saying what is wrong. */
    public static JsonNode tree(byte[] json, int offset, int length) {
        checkFraming(json, offset, length);
        JsonNode node;
        try {
            node = JsonTrees.TREE_READER.readTree(json, offset, length);
        } catch (IOException e) {
            throw invalid(e);
        }
        checkUtf8(json, offset, length);
        return node;
    }

    /**
     * A first byte '{' and no zero byte among the first four make Jackson read the bytes as UTF-8 (it guesses UTF-16
     * and UTF-32 from zero bytes there); with the last byte '}', nothing can follow the object but another one.
     */
    private static void checkFraming(byte[] json, int offset, int length) {
        if (length < 2 || json[offset] != '{' || json[offset + length - 1] != '}' || json[offset + 1] == 0
                || length > 2 && json[offset + 2] == 0 || length > 3 && json[offset + 3] == 0) {
            throw new PoolException(ErrorKind.USAGE, "data is not a compact JSON object (it must start with '{' "
                    + "and end with '}')");
        }
    }

    private static void checkUtf8(byte[] json, int offset, int length) {
        if (!Utf8.isValid(json, offset, length)) {
            throw new PoolException(ErrorKind.USAGE, "invalid JSON: not valid UTF-8");
        }
    }

    private static void checkEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new PoolException(ErrorKind.USAGE, "trailing content after the JSON object at column "
                    + parser.currentLocation().getColumnNr());
        }
    }

    /**
     * True if {@code json}, should it be valid JSON, is exactly what {@link #read} would write for it: no whitespace
     * outside strings, no escape at all and no character beyond U+FFFF (the generator writes those as escapes its
     * own way, and everything else as it was read). Data from programs is mostly like this, and then it needs
     * validating only, not rewriting.
     */
    static boolean isCanonicalIfValid(byte[] json, int offset, int length) {
        if (length == 0 || json[offset] != '{') {
            return false; // also keeps a byte order mark, which the parser skips, out of the stored bytes
        }
        boolean inString = false;
        boolean ascii = true;
        for (int i = offset, end = offset + length; i < end; i++) {
            // One table load and one branch for the usual byte; this runs over every byte a sink or feed receives.
            byte kind = BYTE_KIND[json[i] & 0xFF];
            if (kind == PLAIN) {
                continue;
            }
            if (kind == QUOTE) {
                inString = !inString;
            } else if (kind == NON_ASCII) {
                ascii = false;
            } else if (kind == NEVER_CANONICAL || !inString) {
                return false;
            }
        }
        // Jackson accepts some byte sequences that are not UTF-8 (overlong forms, surrogates) and writes them
        // correctly encoded: only strict UTF-8 is kept as it is.
        return ascii || Utf8.isValid(json, offset, length);
    }

    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    /** Whitespace: canonical inside strings only. */
    private static final byte WHITESPACE = 2;
    /**
     * A backslash (an escape), the lead byte of a 4-byte UTF-8 sequence (beyond U+FFFF), or a zero byte (never in
     * UTF-8 JSON; Jackson would read the input as UTF-16 or UTF-32): never canonical.
     */
    private static final byte NEVER_CANONICAL = 3;
    /** A byte of a multi-byte UTF-8 sequence up to U+FFFF: canonical if the whole input is strict UTF-8. */
    private static final byte NON_ASCII = 4;
    private static final byte[] BYTE_KIND = new byte[256];

    static {
        BYTE_KIND['"'] = QUOTE;
        for (char c : new char[] {' ', '\n', '\r', '\t'}) {
            BYTE_KIND[c] = WHITESPACE;
        }
        BYTE_KIND['\\'] = NEVER_CANONICAL;
        BYTE_KIND[0] = NEVER_CANONICAL;
        for (int b = 0x80; b <= 0xFF; b++) {
            BYTE_KIND[b] = b >= 0xF0 && b <= 0xF7 ? NEVER_CANONICAL : NON_ASCII;
        }
    }

    /**
     * Reads the JSON value the parser is positioned on (its current token) and returns it compacted; a Usage error
     * unless it is an object. Streams the tokens into compact text without building a tree, so it suits a reader of
     * many values from one stream. Leaves the parser on the object's closing brace.
     */
    public static JsonData read(JsonParser parser) {
        JsonToken first = parser.currentToken();
        if (first != JsonToken.START_OBJECT) {
            try {
                parser.skipChildren();
            } catch (IOException ignored) {
                // the Usage error below says what is wrong; a syntax error inside the value adds nothing
            }
            throw new PoolException(ErrorKind.USAGE, "data must be a JSON object, got "
                    + (first == null ? "nothing" : describe(first)));
        }
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            copyExactly(parser, generator);
        } catch (IOException e) {
            throw invalid(e);
        }
        return new JsonData(out.toByteArray());
    }

    /**
     * Copies the structure at the parser's current token. Unlike {@link JsonGenerator#copyCurrentStructure}, numbers
     * are written from their original text, so {@code 1.10} or {@code 1e400} are stored as given, not rounded
     * through a double.
     */
    private static void copyExactly(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        JsonToken token = p.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT: g.writeStartObject(); depth++; break;
                case END_OBJECT: g.writeEndObject(); depth--; break;
                case START_ARRAY: g.writeStartArray(); depth++; break;
                case END_ARRAY: g.writeEndArray(); depth--; break;
                case FIELD_NAME: g.writeFieldName(p.currentName()); break;
                case VALUE_STRING: g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()); break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT: g.writeNumber(p.getText()); break;
                case VALUE_TRUE: g.writeBoolean(true); break;
                case VALUE_FALSE: g.writeBoolean(false); break;
                case VALUE_NULL: g.writeNull(); break;
                default: throw new PoolException(ErrorKind.USAGE, "invalid JSON: unexpected " + token);
            }
            if (depth == 0) {
                return;
            }
            token = p.nextToken();
            if (token == null) {
                throw new PoolException(ErrorKind.USAGE, "invalid JSON: unexpected end of input inside the object");
            }
        }
    }

    /**
     * What the parser found wrong and where (line and column within the parsed text), without the parser's own
     * description of its input source ({@code [Source: REDACTED ...]}), which means nothing to a user: positions it
     * names inside its message stay, as {@code line L, column C}.
     */
    private static PoolException invalid(IOException e) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            String what = Noise.START_MARKER.matcher(String.valueOf(j.getOriginalMessage())).replaceAll("");
            what = Noise.SOURCE_NOISE.matcher(what).replaceAll("line $1, column $2");
            String where = j.getLocation() == null ? ""
                    : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            return new PoolException(ErrorKind.USAGE, "invalid JSON: " + what + where);
        }
        return new PoolException(ErrorKind.USAGE, "invalid JSON: " + e.getMessage());
    }

    /** The compact serialisation of a Jackson object node. */
    public static JsonData of(ObjectNode node) {
        try {
            return new JsonData(JsonTrees.MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new PoolException(ErrorKind.USAGE, "cannot serialise data: " + e.getOriginalMessage());
        }
    }

    /**
     * Wraps bytes the caller guarantees to be one compact UTF-8 JSON object (e.g. read from a pool). Not copied: the
     * caller must not change them. Use {@link #parse} for anything from outside.
     */
    public static JsonData trusted(byte[] compactObject) {
        if (compactObject.length < 2 || compactObject[0] != '{') {
            throw new PoolException(ErrorKind.USAGE, "data must be a JSON object");
        }
        return new JsonData(compactObject);
    }

    /** The compact UTF-8 JSON bytes (not a copy: do not change). */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return token.asString() == null ? token.name() : token.asString();
        }
    }
}
