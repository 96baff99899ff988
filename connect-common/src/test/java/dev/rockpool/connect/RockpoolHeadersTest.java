package dev.rockpool.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tag encoding both connectors share: what the source writes, the sink reads back exactly. */
class RockpoolHeadersTest {
    private static final List<String> AWKWARD = List.of("with space", "[brackets]", "\"quoted\"", "back\\slash",
            "a,b", "é ☃", "C:\\new");

    @Test
    void tagsAreAJsonArray() throws JsonProcessingException {
        for (List<String> tags : List.of(List.<String>of(), List.of("a"), AWKWARD, List.of("b\"q", "tab\t",
                "\u0001ctl", "é ✓ 🦀", "</script>"))) {
            assertEquals(JsonTrees.MAPPER.writeValueAsString(tags), RockpoolHeaders.encodeTags(tags));
            assertEquals(tags, JsonTrees.MAPPER.readValue(RockpoolHeaders.encodeTags(tags), List.class));
        }
    }

    @Test
    void tagsHeaderAcceptsAJsonArrayAListOrOneString() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(RockpoolHeaders.TAGS, "[\"a\",\"b c\"]");
        headers.addList(RockpoolHeaders.TAGS, List.of("d", "e"), SchemaBuilder.array(Schema.STRING_SCHEMA).build());
        headers.addString(RockpoolHeaders.TAGS, "plain [not json");
        headers.addBytes(RockpoolHeaders.TAGS, "[\"f\"]".getBytes(StandardCharsets.UTF_8));
        headers.addInt(RockpoolHeaders.TAGS, 9);
        headers.addString("other", "ignored");
        assertEquals(List.of("s", "a", "b c", "d", "e", "plain [not json", "f", "9"),
                RockpoolHeaders.tags(List.of("s"), headers, RockpoolHeaders.TAGS));
        assertEquals(List.of("s"), RockpoolHeaders.tags(List.of("s"), headers, null));
        assertEquals(List.of(), RockpoolHeaders.tags(List.of(), new ConnectHeaders(), RockpoolHeaders.TAGS));
    }

    /** What the source encodes, through the worker's default header converter, both ways. */
    @Test
    void tagsSurviveTheSimpleHeaderConverter() {
        String json = RockpoolHeaders.encodeTags(AWKWARD);
        SimpleHeaderConverter converter = new SimpleHeaderConverter();
        converter.configure(Map.of());
        byte[] wire = converter.fromConnectHeader("t", RockpoolHeaders.TAGS, Schema.STRING_SCHEMA, json);
        SchemaAndValue parsed = converter.toConnectHeader("t", RockpoolHeaders.TAGS, wire);
        ConnectHeaders headers = new ConnectHeaders();
        headers.add(RockpoolHeaders.TAGS, parsed);
        assertEquals(AWKWARD, RockpoolHeaders.tags(List.of(), headers, RockpoolHeaders.TAGS));
        ConnectHeaders raw = new ConnectHeaders();
        raw.addString(RockpoolHeaders.TAGS, json);
        assertEquals(AWKWARD, RockpoolHeaders.tags(List.of(), raw, RockpoolHeaders.TAGS));
    }

    @Test
    void tagsHeaderWithAnObjectIsBadData() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(RockpoolHeaders.TAGS, "[{\"x\":1}]");
        DataException e = assertThrows(DataException.class,
                () -> RockpoolHeaders.tags(List.of(), headers, RockpoolHeaders.TAGS));
        assertTrue(e.getMessage().contains("a tag is a string"), e.getMessage());
    }
}
