package dev.rockpool.connect;

import org.apache.kafka.common.config.ConfigDef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a connector's {@link ConfigDef} as the Markdown reference that {@code docs/CONNECTORS.md} holds: one table
 * per group, in definition order, between markers naming the section. Each connector's tests check the document
 * with {@link #check}, so the reference cannot drift from the code; {@code -Drockpool.docs.update=true} rewrites it.
 */
public final class ConfigDocs {
    /** The system property that makes {@link #check} rewrite a stale section instead of reporting it. */
    public static final String UPDATE_PROPERTY = "rockpool.docs.update";

    private ConfigDocs() {
    }

    /** The line that opens the generated section {@code name}. */
    public static String begin(String name) {
        return "<!-- " + name + "-config:begin (generated from the ConfigDef, do not edit) -->";
    }

    /** The line that closes the generated section {@code name}. */
    public static String end(String name) {
        return "<!-- " + name + "-config:end -->";
    }

    /** The generated section {@code name}: its markers around the tables, ending with a newline. */
    public static String section(String name, ConfigDef def) {
        return begin(name) + "\n\n" + markdown(def) + end(name) + "\n";
    }

    /**
     * Checks that {@code doc} holds the current section {@code name} of {@code def}: null when it does (or, with
     * {@link #UPDATE_PROPERTY} set, once it was rewritten), else what is wrong and how to regenerate it.
     */
    public static String check(Path doc, String name, ConfigDef def) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(begin(name));
        int end = text.indexOf(end(name));
        if (begin < 0 || end < begin) {
            return doc + " has no " + begin(name) + " ... " + end(name) + " section";
        }
        int after = end + end(name).length() + 1;
        String expected = section(name, def);
        if (expected.equals(text.substring(begin, Math.min(after, text.length())))) {
            return null;
        }
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(doc, text.substring(0, begin) + expected + text.substring(after), StandardCharsets.UTF_8);
            return null;
        }
        return doc + ": the " + name + " configuration reference is out of date; regenerate it by running the test "
                + "with -D" + UPDATE_PROPERTY + "=true. It should read:\n" + expected;
    }

    /** The reference tables, each preceded by a {@code ####} heading naming its group. */
    public static String markdown(ConfigDef def) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            byGroup.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : byGroup.entrySet()) {
            b.append("#### ").append(group.getKey()).append("\n\n");
            b.append("| key | type | default | valid values | importance | description |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : group.getValue()) {
                b.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(defaultOf(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "(none)";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null || text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
