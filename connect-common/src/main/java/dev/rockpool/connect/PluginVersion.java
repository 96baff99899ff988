package dev.rockpool.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version every plugin of rockpool reports from {@code version()}: the project version, written into
 * {@code rockpool-plugin.properties} by the build, so it is the same from a jar and from classes (tests).
 */
public final class PluginVersion {
    /** The version, or {@code unknown} when the build did not write it. */
    public static final String VERSION = read();

    private PluginVersion() {
    }

    private static String read() {
        try (InputStream in = PluginVersion.class.getResourceAsStream("rockpool-plugin.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // an unknown version is not worth failing the plugin over
        }
        return "unknown";
    }
}
