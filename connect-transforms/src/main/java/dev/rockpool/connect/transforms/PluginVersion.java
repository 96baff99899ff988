package dev.rockpool.connect.transforms;

/** The version {@code version()} reports (KIP-891): the jar manifest's Implementation-Version. */
final class PluginVersion {
    /** "unknown" when run from classes rather than the plugin's jar. */
    static final String VERSION = read();

    private PluginVersion() {
    }

    private static String read() {
        String version = PluginVersion.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
