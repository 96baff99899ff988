package dev.rockpool.connect.source;

import dev.rockpool.connect.ConfigDocs;

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
        return BEGIN + "\n\n" + ConfigDocs.markdown(PoolSourceConfig.CONFIG_DEF) + END + "\n";
    }
}
