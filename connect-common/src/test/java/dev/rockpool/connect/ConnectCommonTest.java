package dev.rockpool.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
