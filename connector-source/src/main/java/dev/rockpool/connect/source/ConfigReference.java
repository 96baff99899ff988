package dev.rockpool.connect.source;

import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the source connector's {@link PoolSourceConfig#CONFIG_DEF} as the Markdown reference in
 * {@code docs/CONNECTORS.md}, between {@link #BEGIN} and {@link #END}. Run {@code main} to print it; a test fails when
 * the committed document differs.
 */
public final class ConfigReference {
    /** Marks the start of the generated section. */
    public static final String BEGIN = "<!-- source-config:begin (generated from PoolSourceConfig, do not edit) -->";
    /** Marks the end of the generated section. */
    public static final String END = "<!-- source-config:end -->";

    private ConfigReference() {
    }

    /** Prints the generated section, markers included. */
    public static void main(String[] args) {
        System.out.print(render());
    }

    /** The generated section, markers included, ending with a newline. */
    public static String render() {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : PoolSourceConfig.CONFIG_DEF.configKeys().values()) {
            byGroup.computeIfAbsent(key.group, g -> new ArrayList<>()).add(key);
        }
        StringBuilder b = new StringBuilder();
        b.append(BEGIN).append("\n\n");
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : byGroup.entrySet()) {
            b.append("#### ").append(group.getKey()).append("\n\n");
            b.append("| key | type | default | valid values | importance | description |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : group.getValue()) {
                b.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase()).append(" | ")
                        .append(defaultOf(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase()).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
            b.append('\n');
        }
        b.append(END).append('\n');
        return b.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        String text = key.defaultValue == null ? "null" : ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null || text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
