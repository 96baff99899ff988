package dev.rockpool.stack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** The files of {@code config-examples/}: worker properties and connector configs (.properties and REST .json). */
final class Examples {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Examples() {
    }

    static Path dir() {
        return Scripts.root().resolve("config-examples");
    }

    /** Every .properties and .json file, sorted by name. */
    static List<Path> all() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(f -> f.toString().endsWith(".properties") || f.toString().endsWith(".json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the file configures a worker (connect-*.properties) rather than a connector. */
    static boolean isWorker(Path file) {
        return file.getFileName().toString().startsWith("connect-");
    }

    /** A connector example's name and config: .properties as a standalone worker reads it, .json as POSTed. */
    record Connector(String name, Map<String, String> config) {
        /** A copy with some keys replaced ("name" renames the connector). */
        Connector with(Map<String, String> changes) {
            Map<String, String> changed = new LinkedHashMap<>(config);
            changed.putAll(changes);
            return new Connector(changed.getOrDefault("name", name), changed);
        }

        String connectorClass() {
            return config.get("connector.class");
        }
    }

    static Connector connector(String fileName) {
        return connector(dir().resolve(fileName));
    }

    static Connector connector(Path file) {
        Map<String, String> config = file.toString().endsWith(".json") ? json(file) : properties(file);
        String name = config.get("name");
        if (name == null) {
            throw new IllegalArgumentException(file + " has no connector name");
        }
        return new Connector(name, config);
    }

    /** Properties as a flat map. */
    static Map<String, String> properties(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    /** A REST body {"name": ..., "config": {...}} as a flat map including "name", as Connect sees it. */
    private static Map<String, String> json(Path file) {
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (!root.path("name").isTextual() || !root.path("config").isObject()) {
                throw new IllegalArgumentException(file + ": expected {\"name\": \"...\", \"config\": {...}}");
            }
            Map<String, String> config = new LinkedHashMap<>(
                    MAPPER.convertValue(root.get("config"), new TypeReference<Map<String, String>>() { }));
            config.putIfAbsent("name", root.get("name").asText());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
