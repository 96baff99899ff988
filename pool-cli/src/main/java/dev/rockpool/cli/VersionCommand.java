package dev.rockpool.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.HeaderDescriptor;
import picocli.CommandLine.IVersionProvider;

/** {@code rockpool version}: the tool's version, the pool format it reads and the Java runtime, as JSON. */
final class VersionCommand extends CliCommand {
    private final Rockpool root;

    VersionCommand(Rockpool root) {
        super("version", true, "Print version information as JSON.");
        this.root = root;
    }

    @Override
    public Integer call() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", "rockpool");
        o.put("version", version());
        o.put("pool_format_version", HeaderDescriptor.FORMAT_VERSION);
        o.put("java", System.getProperty("java.version"));
        o.put("java_vendor", System.getProperty("java.vendor"));
        Output out = new Output(root.io().out());
        out.line(PoolCommand.render(root.io(), o));
        out.flush();
        return 0;
    }

    /** The version from the jar manifest ({@code Implementation-Version}), or {@code dev} when run from classes. */
    static String version() {
        String v = Rockpool.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** For {@code rockpool --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rockpool " + version() + " (pool format " + HeaderDescriptor.FORMAT_VERSION
                    + ", Java " + System.getProperty("java.version") + ")"};
        }
    }
}
