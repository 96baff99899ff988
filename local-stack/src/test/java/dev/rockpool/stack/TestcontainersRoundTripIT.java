package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.Start;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A pool -> topic -> pool round trip against the official apache/kafka image, for machines with a Docker engine: a
 * Connect worker (distributed, exactly-once source enabled) runs in this JVM and loads the packaged plugin by service
 * loading. Where there is no Docker engine the class is skipped (reported as skipped, never as passed); the same
 * round trip on a real broker without Docker is {@link StackEndToEndIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersRoundTripIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(
            DockerImageName.parse("apache/kafka:" + System.getProperty("kafka.version", "4.3.1")))
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");

    @TempDir
    static Path temp;
    private static Connect<?> worker;
    private static ConnectRest rest;
    private static Path pools;

    @BeforeAll
    static void startWorker() throws Exception {
        pools = Files.createDirectories(temp.resolve("pools"));
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", KAFKA.getBootstrapServers());
        props.put("group.id", "rockpool-tc");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("key.converter.schemas.enable", "false");
        props.put("value.converter.schemas.enable", "false");
        for (String store : List.of("config", "offset", "status")) {
            props.put(store + ".storage.topic", "rockpool-tc-" + store);
            props.put(store + ".storage.replication.factor", "1");
        }
        props.put("exactly.once.source.support", "enabled");
        props.put("producer.transaction.timeout.ms", "10000");
        props.put("consumer.isolation.level", "read_committed");
        props.put("offset.flush.interval.ms", "1000");
        props.put("plugin.path", Scripts.required("rockpool.plugin.dir"));
        props.put("plugin.discovery", "service_load");
        worker = new ConnectDistributed().startConnect(props);
        rest = new ConnectRest(worker.rest().advertisedUrl().toString().replaceAll("/$", ""));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (rest.get("/health").status() != 200) {
            assertTrue(System.nanoTime() < deadline, "worker not ready");
            ConnectRest.sleep(300);
        }
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.stop();
            worker.awaitStop();
        }
    }

    @Test
    void poolToTopicToPoolKeepsDataAndTags() throws Exception {
        PoolDirectory dir = new PoolDirectory(pools);
        List<String> sent = new ArrayList<>();
        try (Pool pool = dir.create("tc-events", PoolOptions.ofSize(PoolOptions.parseSize("1M")))) {
            for (int i = 1; i <= 50; i++) {
                String json = "{\"i\":" + i + ",\"msg\":\"hello " + i + "\"}";
                pool.append(Draft.of(json, "tc", i % 2 == 0 ? "even" : "odd"), Durability.FAST);
                sent.add(json);
            }
        }
        rest.deployAndAwaitRunning(Examples.connector("exactly-once-source.json").with(Map.of(
                "name", "tc-source", "pool.dir", pools.toString(), "pools", "tc-events", "tasks.max", "1")), WAIT);
        rest.deployAndAwaitRunning(Examples.connector("edge-sink.json").with(Map.of(
                "name", "tc-sink", "pool.dir", pools.toString(), "topics", "tc-events", "pool", "tc-mirror",
                "tags", "", "errors.deadletterqueue.topic.name", "tc-events.dlq")), WAIT);

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(dir.pathOf("tc-mirror"))) {
            assertTrue(System.nanoTime() < deadline, "the sink never created tc-mirror");
            Thread.sleep(200);
        }
        List<Message> mirror = new ArrayList<>();
        try (Pool pool = dir.open("tc-mirror"); Cursor cursor = pool.cursor(Start.earliest())) {
            while (mirror.size() < sent.size() && System.nanoTime() < deadline) {
                Message m = cursor.poll(Duration.ofMillis(200));
                if (m != null) {
                    mirror.add(m);
                }
            }
        }
        assertEquals(sent, mirror.stream().map(Message::dataString).toList());
        for (int k = 0; k < mirror.size(); k++) {
            assertEquals(List.of("tc", (k + 1) % 2 == 0 ? "even" : "odd"), mirror.get(k).tags());
        }
    }
}
