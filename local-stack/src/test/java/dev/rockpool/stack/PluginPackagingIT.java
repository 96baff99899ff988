package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin (connect-plugin/target/rockpool-connect-plugin and its zip): what it holds, what it leaves to the
 * worker, and that Connect's own plugin loader finds both connectors and the jq transforms in it with
 * plugin.discovery=service_load.
 */
class PluginPackagingIT {
    private static final String SOURCE = "dev.rockpool.connect.source.PoolSourceConnector";
    private static final String SINK = "dev.rockpool.connect.sink.PoolSinkConnector";
    private static final List<String> TRANSFORMATIONS = List.of("dev.rockpool.connect.transforms.JqTransform$Key",
            "dev.rockpool.connect.transforms.JqTransform$Value");
    private static final List<String> PREDICATES = List.of("dev.rockpool.connect.transforms.JqMatches$Key",
            "dev.rockpool.connect.transforms.JqMatches$Value");

    private final Path pluginDir = Path.of(Scripts.required("rockpool.plugin.dir"));
    private final Path kafkaLib = Path.of(Scripts.required("rockpool.kafka.lib"));
    private final String version = Scripts.required("rockpool.version");

    private static Set<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void holdsTheConnectorsAndTheirDependenciesButNotWhatTheWorkerProvides() throws IOException {
        Set<String> jars = jarNames(pluginDir.resolve("lib"));
        for (String expected : List.of("connector-source-" + version + ".jar", "connector-sink-" + version + ".jar",
                "connect-transforms-" + version + ".jar", "pool-engine-" + version + ".jar")) {
            assertTrue(jars.contains(expected), expected + " missing from " + jars);
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("jackson-jq-")), "jackson-jq missing from " + jars);
        for (String provided : List.of("kafka-clients-", "connect-api-", "connect-runtime-", "connect-json-",
                "slf4j-", "jackson-databind-", "jackson-core-", "jackson-annotations-")) {
            assertTrue(jars.stream().noneMatch(j -> j.startsWith(provided)),
                    provided + "* is provided by the worker and must not be in the plugin: " + jars);
        }
    }

    /** The plugin is the connectors and the engine: the CLI, the server and their libraries stay out of a worker. */
    @Test
    void holdsNoCliNorServer() throws IOException {
        Set<String> jars = jarNames(pluginDir.resolve("lib"));
        for (String tool : List.of("picocli-", "pool-cli-", "pool-server-", "jetty-", "prometheus-")) {
            assertTrue(jars.stream().noneMatch(j -> j.startsWith(tool)), tool + "* must not be in the plugin: " + jars);
        }
        for (String jarName : jars) {
            try (JarFile jar = new JarFile(pluginDir.resolve("lib").resolve(jarName).toFile())) {
                List<String> toolClasses = jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
                        .filter(n -> n.startsWith("dev/rockpool/cli/") || n.startsWith("dev/rockpool/server/")
                                || n.startsWith("picocli/"))
                        .collect(Collectors.toList());
                assertTrue(toolClasses.isEmpty(), jarName + " holds CLI or server classes: " + toolClasses);
            }
        }
    }

    /**
     * Jackson is left out because the worker ships the very versions the plugin is built against; if a Kafka or
     * Jackson upgrade breaks that, this says so instead of letting the plugin run on a Jackson it was not built for.
     */
    @Test
    void jacksonLeftOutMatchesTheWorkers() throws IOException {
        String jackson = Scripts.required("jackson.version");
        String minor = jackson.substring(0, jackson.indexOf('.', jackson.indexOf('.') + 1));
        Set<String> workerJars = jarNames(kafkaLib);
        assertTrue(workerJars.contains("jackson-databind-" + jackson + ".jar"), "worker ships " + workerJars);
        assertTrue(workerJars.contains("jackson-core-" + jackson + ".jar"), "worker ships " + workerJars);
        assertTrue(workerJars.stream().anyMatch(j -> j.startsWith("jackson-annotations-" + minor)),
                "worker's jackson-annotations is not " + minor + ".x: " + workerJars);
        assertEquals(jackson, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
                "the plugin is built against this Jackson");
    }

    @Test
    void pluginJarsCarryServiceEntriesAndAVersion() throws IOException {
        Map<String, Map<String, List<String>>> services = Map.of(
                "connector-source-" + version + ".jar",
                Map.of("org.apache.kafka.connect.source.SourceConnector", List.of(SOURCE)),
                "connector-sink-" + version + ".jar",
                Map.of("org.apache.kafka.connect.sink.SinkConnector", List.of(SINK)),
                "connect-transforms-" + version + ".jar",
                Map.of("org.apache.kafka.connect.transforms.Transformation", TRANSFORMATIONS,
                        "org.apache.kafka.connect.transforms.predicates.Predicate", PREDICATES));
        for (Map.Entry<String, Map<String, List<String>>> e : services.entrySet()) {
            try (JarFile jar = new JarFile(pluginDir.resolve("lib").resolve(e.getKey()).toFile())) {
                for (Map.Entry<String, List<String>> service : e.getValue().entrySet()) {
                    ZipEntry entry = jar.getEntry("META-INF/services/" + service.getKey());
                    assertTrue(entry != null, e.getKey() + " has no META-INF/services/" + service.getKey());
                    String text = new String(jar.getInputStream(entry).readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertEquals(Set.copyOf(service.getValue()), text.lines().map(String::trim)
                            .filter(l -> !l.isEmpty()).collect(Collectors.toSet()), e.getKey() + ": " + text);
                }
                assertEquals(version, jar.getManifest().getMainAttributes().getValue("Implementation-Version"),
                        e.getKey() + " manifest Implementation-Version (the plugins' version())");
            }
        }
    }

    /** Connect's own plugin scanner, configured as bin/rockpool-stack configures the worker. */
    @Test
    void connectFindsTheConnectorsAndTransformsWithServiceLoading() {
        Plugins plugins = new Plugins(Map.of("plugin.path", pluginDir.toString(), "plugin.discovery", "service_load"));
        assertLoadedFromPlugin(plugins.sourceConnectors(), SOURCE);
        assertLoadedFromPlugin(plugins.sinkConnectors(), SINK);
        TRANSFORMATIONS.forEach(t -> assertLoadedFromPlugin(plugins.transformations(), t));
        PREDICATES.forEach(p -> assertLoadedFromPlugin(plugins.predicates(), p));
    }

    private void assertLoadedFromPlugin(Set<? extends PluginDesc<?>> found, String className) {
        // The connectors are on this test's class path too: only the copy loaded from the plugin directory counts.
        PluginDesc<?> desc = found.stream()
                .filter(d -> d.className().equals(className) && d.location().contains(pluginDir.toString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(className + " not service-loaded from " + pluginDir + "; found "
                        + found));
        assertEquals(version, desc.version(), className + " version()");
        assertTrue(desc.loader().getClass().getSimpleName().equals("PluginClassLoader"),
                className + " loaded by " + desc.loader());
    }

    /** What a Confluent Hub listing shows beside the name: the source and docs, who supports it, the license. */
    private static void assertListingFields(JsonNode manifest) {
        for (String text : List.of("title", "description")) {
            assertFalse(manifest.path(text).asText().isBlank(), text);
        }
        for (String url : List.of("source_url", "documentation_url")) {
            assertTrue(manifest.path(url).asText().startsWith("https://"), url + ": " + manifest.path(url));
        }
        assertEquals("organization", manifest.path("owner").path("type").asText());
        JsonNode support = manifest.path("support");
        assertFalse(support.path("provider_name").asText().isBlank(), "support.provider_name: " + support);
        assertFalse(support.path("summary").asText().isBlank(), "support.summary: " + support);
        assertTrue(support.path("url").asText().startsWith("https://"), "support.url: " + support);
        JsonNode license = manifest.path("license");
        assertTrue(license.isArray() && license.size() == 1, "one license: " + license);
        assertEquals("Apache License, Version 2.0", license.get(0).path("name").asText());
        assertTrue(license.get(0).path("url").asText().startsWith("https://"), "license url: " + license);
        Set<String> tags = new TreeSet<>();
        manifest.path("tags").forEach(t -> tags.add(t.asText()));
        assertTrue(tags.containsAll(Set.of("jq", "journald", "edge")), "tags " + tags);
        String kafka = "Kafka Connect " + Scripts.required("kafka.version") + " or newer";
        assertTrue(manifest.path("requirements").toString().contains(kafka), "requirements: " + manifest);
        assertTrue(manifest.path("features").path("single_message_transforms").asBoolean(), "features");
    }

    @Test
    void zipIsConfluentHubShaped() throws IOException {
        Path zip = Path.of(Scripts.required("rockpool.plugin.zip"));
        String root = "rockpool-connect-plugin-" + version + "/";
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            ZipEntry manifestEntry = archive.getEntry(root + "manifest.json");
            assertTrue(manifestEntry != null, zip + " has no " + root + "manifest.json");
            JsonNode manifest = Examples.MAPPER.readTree(archive.getInputStream(manifestEntry));
            assertEquals("connect-plugin", manifest.path("name").asText());
            assertEquals("rockpool", manifest.path("owner").path("username").asText());
            assertEquals(version, manifest.path("version").asText());
            Set<String> componentTypes = new TreeSet<>();
            manifest.path("component_types").forEach(t -> componentTypes.add(t.asText()));
            assertEquals(Set.of("source", "sink", "transform"), componentTypes);
            assertListingFields(manifest);
            Set<String> zipJars = archive.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith(root + "lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring((root + "lib/").length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(jarNames(pluginDir.resolve("lib")), zipJars, "zip lib/ vs " + pluginDir.resolve("lib"));
            assertFalse(archive.stream().filter(e -> e.getName().startsWith(root + "etc/"))
                    .noneMatch(e -> e.getName().endsWith(".json")), "example configs in etc/");
        }
    }
}
