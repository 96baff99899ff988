package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rockpool.connect.sink.PoolSinkConfig;
import dev.rockpool.connect.sink.PoolSinkConnector;
import dev.rockpool.connect.source.PoolSourceConfig;
import dev.rockpool.connect.source.PoolSourceConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of config-examples/ parses and validates: connector configs with the connector's config class and its
 * {@code validate} (the per-field check behind Connect's validation endpoint), worker configs with Connect's own
 * worker config classes. The JSON configs are also deployed for real by {@link StackEndToEndIT}.
 */
class ConfigExamplesTest {
    /** Stands in for the examples' pool.dir (/var/lib/rockpool/pools), which validation requires to exist. */
    @TempDir
    static Path poolDir;

    @TestFactory
    Stream<DynamicTest> everyExampleValidates() {
        List<Path> files = Examples.all();
        assertFalse(files.isEmpty(), "no examples in " + Examples.dir());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> validate(file)));
    }

    private static void validate(Path file) {
        if (Examples.isWorker(file)) {
            Map<String, String> props = Examples.properties(file);
            if (file.getFileName().toString().contains("distributed")) {
                new DistributedConfig(props);
            } else {
                new StandaloneConfig(props);
            }
            assertEquals("service_load", props.get("plugin.discovery"), file + ": plugin.discovery");
            return;
        }
        Examples.Connector example = Examples.connector(file);
        Map<String, String> config = example.with(Map.of("pool.dir", poolDir.toString())).config();
        assertTrue(example.config().containsKey("pool.dir"), file + ": every example says where its pools are");
        String connectorClass = example.connectorClass();
        Connector connector;
        if (PoolSourceConnector.class.getName().equals(connectorClass)) {
            new PoolSourceConfig(config);
            connector = new PoolSourceConnector();
        } else if (PoolSinkConnector.class.getName().equals(connectorClass)) {
            new PoolSinkConfig(config);
            connector = new PoolSinkConnector();
        } else {
            throw new AssertionError(file + ": unexpected connector.class " + connectorClass);
        }
        String errors = connector.validate(config).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .map(ConfigExamplesTest::describe)
                .collect(Collectors.joining("; "));
        assertTrue(errors.isEmpty(), file + " does not validate: " + errors);
    }

    private static String describe(ConfigValue value) {
        return value.name() + "=" + value.value() + ": " + value.errorMessages();
    }

    /** A .properties example and its .json twin configure the same connector, so either can be copied. */
    @Test
    void propertiesAndJsonTwinsAgree() {
        int twins = 0;
        for (Path file : Examples.all()) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".properties") || Examples.isWorker(file)) {
                continue;
            }
            Path json = file.resolveSibling(name.replace(".properties", ".json"));
            if (!Files.exists(json)) {
                fail(file + " has no JSON twin " + json.getFileName() + " for the REST API");
            }
            assertEquals(Examples.connector(file), Examples.connector(json), file + " vs " + json.getFileName());
            twins++;
        }
        assertTrue(twins >= 3, "expected the intake, replay and edge-sink twins, found " + twins);
    }

    /** The distributed worker example carries what exactly-once source delivery and a quick restart need. */
    @Test
    void distributedWorkerEnablesExactlyOnce() {
        Map<String, String> props = Examples.properties(Examples.dir().resolve("connect-distributed.properties"));
        assertEquals("enabled", props.get("exactly.once.source.support"));
        assertEquals("10000", props.get("producer.transaction.timeout.ms"));
        assertEquals("read_committed", props.get("consumer.isolation.level"));
        Examples.Connector eos = Examples.connector("exactly-once-source.json");
        assertEquals("required", eos.config().get("exactly.once.support"));
    }
}
