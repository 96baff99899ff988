package dev.rockpool.pool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * JSON as trees: the shared Jackson mapper for jq, the connectors' conversions and the CLI's management output. Apart
 * from {@link JsonData}, which needs only Jackson's streaming parser and generator, so that appending or printing a
 * message never loads and initialises the object mapper (a third of a short CLI command's start).
 */
public final class JsonTrees {
    /**
     * Shared, thread-safe mapper reading JSON as {@link JsonData#FACTORY} does (duplicate keys are refused, so stored
     * data means one thing); decimals stay exact in trees (as jq 1.7 keeps number literals). Built on a copy of the
     * factory: a mapper makes itself its factory's codec, and the streaming factory stays as configured.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonData.FACTORY.copy())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /** Reads one tree and fails on anything after it. */
    static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonTrees() {
    }
}
