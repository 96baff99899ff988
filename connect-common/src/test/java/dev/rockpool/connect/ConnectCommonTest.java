package dev.rockpool.connect;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectCommonTest {
    @Test
    void jqValidatorReportsTheKeyAndAcceptsEmpty() {
        JqValidator v = new JqValidator("jq predicate");
        assertDoesNotThrow(() -> v.ensureValid("filter.where", ""));
        assertDoesNotThrow(() -> v.ensureValid("filter.where", null));
        assertDoesNotThrow(() -> v.ensureValid("filter.where", ".data.level == \"error\""));
        ConfigException e = assertThrows(ConfigException.class, () -> v.ensureValid("filter.where", ".data["));
        assertTrue(e.getMessage().contains("filter.where"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid jq expression"), e.getMessage());
        assertEquals("jq predicate", v.toString());
    }

    @Test
    void referenceHasATablePerGroupWithEscapedCells() {
        ConfigDef def = new ConfigDef()
                .define("a.key", ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                        "Needed | always", "First", 1, ConfigDef.Width.SHORT, "A")
                .define("b.key", ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                        "A number", "Second", 1, ConfigDef.Width.SHORT, "B")
                .define("c.key", ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW, "Empty default", "Second", 2,
                        ConfigDef.Width.SHORT, "C");
        assertEquals("#### First\n\n"
                + "| key | type | default | valid values | importance | description |\n|---|---|---|---|---|---|\n"
                + "| `a.key` | string | (required) |  | high | Needed \\| always |\n\n"
                + "#### Second\n\n"
                + "| key | type | default | valid values | importance | description |\n|---|---|---|---|---|---|\n"
                + "| `b.key` | int | `5` | [1,...] | low | A number |\n"
                + "| `c.key` | string | \"\" |  | low | Empty default |\n\n", ConfigDocs.markdown(def));
    }

    @Test
    void oneVersionForEveryPlugin() {
        assertFalse(PluginVersion.VERSION.equals("unknown") || PluginVersion.VERSION.startsWith("${"),
                PluginVersion.VERSION);
    }

    @Test
    void poolDirIsDefinedOnceWithAnEmptyDefault() {
        ConfigDef def = PoolDirConfig.define(new ConfigDef(), "Pool", 1);
        assertEquals("", def.configKeys().get(PoolDirConfig.POOL_DIR_CONFIG).defaultValue);
        AbstractConfig config = new AbstractConfig(def, Map.of(PoolDirConfig.POOL_DIR_CONFIG, "/var/pools"));
        assertEquals(Path.of("/var/pools"), PoolDirConfig.directory(config).dir());
    }

    @Test
    void choicesValidateInAnyCaseAndRecommendAFreshListEachTime() {
        Choices choices = Choices.of(ConfigDef.Importance.class);
        assertEquals(java.util.List.of("high", "medium", "low"), choices.values());
        assertDoesNotThrow(() -> choices.validator().ensureValid("k", "HIGH"));
        ConfigException e = assertThrows(ConfigException.class, () -> choices.validator().ensureValid("k", "top"));
        assertTrue(e.getMessage().contains("expected one of high, medium, low"), e.getMessage());
        assertEquals("[high, medium, low]", choices.validator().toString());
        // ConfigDef.validate narrows the list it gets in place: a recommender must hand out a new one.
        choices.validValues("k", Map.of()).clear();
        assertEquals(java.util.List.of("high", "medium", "low"), choices.validValues("k", Map.of()));
    }

    @Test
    void poolsAreRecommendedFromThePoolFilesOfPoolDir(@TempDir Path tmp) throws Exception {
        for (String file : new String[] {"b.pool", "a.pool", ".hidden.pool", "notes.txt"}) {
            Files.writeString(tmp.resolve(file), "x");
        }
        Files.createDirectory(tmp.resolve("dir.pool"));
        ConfigDef.Recommender recommender = PoolDirConfig.poolsRecommender("${topic}");
        assertEquals(java.util.List.of("${topic}", "a", "b"),
                recommender.validValues("pool", Map.of(PoolDirConfig.POOL_DIR_CONFIG, tmp.toString())));
        assertEquals(java.util.List.of("${topic}"), recommender.validValues("pool",
                Map.of(PoolDirConfig.POOL_DIR_CONFIG, tmp.resolve("missing").toString())));
        ConfigDef def = PoolDirConfig.define(new ConfigDef(), "Pool", 1).define("pools", ConfigDef.Type.LIST, "",
                ConfigDef.Importance.HIGH, "Pools", "Pool", 2, ConfigDef.Width.LONG, "Pools",
                PoolDirConfig.poolsRecommender());
        Map<String, org.apache.kafka.common.config.ConfigValue> values = new java.util.HashMap<>();
        def.validate(Map.of(PoolDirConfig.POOL_DIR_CONFIG, tmp.toString())).forEach(v -> values.put(v.name(), v));
        assertEquals(java.util.List.of("a", "b"), values.get("pools").recommendedValues());
    }

    @Test
    void checkFindsAStaleSectionAndRewritesItWhenAsked(@TempDir Path tmp) throws Exception {
        ConfigDef def = new ConfigDef().define("a.key", ConfigDef.Type.INT, 1, ConfigDef.Importance.LOW, "A", "G", 1,
                ConfigDef.Width.SHORT, "A");
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "intro\n" + ConfigDocs.begin("x") + "\nold\n" + ConfigDocs.end("x") + "\noutro\n");
        assertTrue(ConfigDocs.check(doc, "x", def).contains("out of date"));
        assertTrue(ConfigDocs.check(doc, "y", def).contains("has no"));
        System.setProperty(ConfigDocs.UPDATE_PROPERTY, "true");
        try {
            assertNull(ConfigDocs.check(doc, "x", def));
        } finally {
            System.clearProperty(ConfigDocs.UPDATE_PROPERTY);
        }
        assertEquals("intro\n" + ConfigDocs.section("x", def) + "outro\n", Files.readString(doc));
        assertNull(ConfigDocs.check(doc, "x", def));
    }
}
