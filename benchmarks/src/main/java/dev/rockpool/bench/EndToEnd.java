package dev.rockpool.bench;

import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * End-to-end throughput against a real broker and Connect worker (Kafka's {@link EmbeddedConnectCluster}, one broker
 * and one worker in this JVM, configured as the integration tests configure it). Every case moves the same
 * {@code count} JSON objects of {@value #SIZE} bytes:
 * <ul>
 *   <li>source: a pool already holding them → a topic, beside FileStreamSourceConnector reading them as JSON lines
 *   from a file (also with Kafka's Filter SMT and rockpool's JqMatches predicate), and a plain
 *   {@link KafkaProducer} sending them (the ceiling);</li>
 *   <li>sink: a topic holding them → a pool, beside FileStreamSinkConnector, and a plain {@link KafkaConsumer}
 *   (the ceiling);</li>
 *   <li>CLI: {@code bin/rockpool feed POOL -f FILE} of the same lines, beside the engine's in-process
 *   {@code JsonData.parse} + append of them (what the CLI could reach without its process and I/O).</li>
 * </ul>
 * Connector cases are timed two ways by polling progress every {@value #POLL_MILLIS} ms: {@code wall} from creating
 * the connector until all messages arrived (includes task start and, for sinks, the consumer group join), and
 * {@code rate} over the delivery window (from the first observed message to the last), the figure the ratios use.
 */
public final class EndToEnd implements AutoCloseable {
    /** Bytes of each JSON object. */
    public static final int SIZE = 128;
    static final long POLL_MILLIS = 10;
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final String STRINGS = "org.apache.kafka.connect.storage.StringConverter";
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** One case's figures: messages per second over the delivery window, and the wall time in seconds. */
    public record Figure(String name, long messages, double rate, double wallSeconds) {
    }

    private final Path work;
    private final int count;
    private final Path poolDir;
    private final Path lines;
    private long lineBytes;
    private EmbeddedConnectCluster connect;
    /** One admin client for all progress polls (EmbeddedKafkaCluster.endOffset builds a new client per call). */
    private Admin admin;

    public EndToEnd(Path work, int count) {
        this.work = work;
        this.count = count;
        this.poolDir = work.resolve("pools");
        this.lines = work.resolve("lines.jsonl");
    }

    /** Writes the JSON lines file and starts the broker and worker. */
    public void start() throws IOException {
        Files.createDirectories(poolDir);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(lines), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                byte[] b = Payloads.json(SIZE, i);
                out.write(b);
                out.write('\n');
                lineBytes += b.length + 1;
            }
        }
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("offset.flush.interval.ms", "1000");
        Properties broker = new Properties();
        broker.put("offsets.topic.num.partitions", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        connect = new EmbeddedConnectCluster.Builder().name("rockpool-bench").numWorkers(1).numBrokers(1)
                .workerProps(worker).brokerProps(broker).maskExitProcedures(true).build();
        connect.start();
        admin = connect.kafka().createAdminClient();
    }

    // ------------------------------------------------------------------ source

    /** A pool holding the messages → topic, through PoolSourceConnector with the ByteArrayConverter fast path. */
    public Figure rockpoolSource() throws Exception {
        return sourceFromPool("source rockpool", "rockpool-source", Map.of());
    }

    /**
     * The same with {@code headers=} (no rockpool headers): what the four default headers cost, since the worker
     * converts every header of every record with its header converter.
     */
    public Figure rockpoolSourceWithoutHeaders() throws Exception {
        return sourceFromPool("source rockpool, no headers", "rockpool-source-noheaders", Map.of("headers", ""));
    }

    /**
     * The default headers with the worker's producer given 256 KiB batches ({@code producer.override.batch.size}):
     * Connect's producer keeps one request in flight per broker, so the records per batch bound the rate.
     */
    public Figure rockpoolSourceLargeBatches() throws Exception {
        return sourceFromPool("source rockpool, 256 KiB batches", "rockpool-source-bigbatch",
                Map.of("producer.override.batch.size", "262144"));
    }

    /**
     * The configuration config-examples recommends: 256 KiB producer batches and the headers written by
     * {@code StringConverter} (the same bytes as the default {@code SimpleHeaderConverter}, without its
     * {@code Values.convertToString} copy of every header).
     */
    public Figure rockpoolSourceRecommended() throws Exception {
        return sourceFromPool("source rockpool, recommended", "rockpool-source-recommended", RECOMMENDED);
    }

    /** The source settings config-examples recommends (see {@link #rockpoolSourceRecommended()}). */
    static final Map<String, String> RECOMMENDED = Map.of("producer.override.batch.size", "262144",
            "header.converter", "org.apache.kafka.connect.storage.StringConverter");

    private Figure sourceFromPool(String name, String connector, Map<String, String> extra) throws Exception {
        fillPool("source", count);
        Map<String, String> config = sourceConfig(connector, "source", extra);
        return timeConnector(name, connector, config, endOffset(connector), count);
    }

    /** The source connector's config streaming {@code pool} to {@code topic} (created here), plus {@code extra}. */
    Map<String, String> sourceConfig(String topic, String pool, Map<String, String> extra) {
        connect.kafka().createTopic(topic, 1);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.rockpool.connect.source.PoolSourceConnector");
        config.put("tasks.max", "1");
        config.put("pool.dir", poolDir.toString());
        config.put("pools", pool);
        config.put("topic", topic);
        config.put("key.converter", BYTES);
        config.put("value.converter", BYTES);
        config.putAll(extra);
        return config;
    }

    /** Creates pool {@code name} holding the first {@code messages} messages, unless it exists. */
    private void fillPool(String name, int messages) {
        Path poolFile = poolDir.resolve(name + ".pool");
        if (Files.exists(poolFile)) {
            return;
        }
        try (Pool pool = Pool.create(poolFile, PoolOptions.ofSize(poolBytes()))) {
            List<Draft> batch = new ArrayList<>(1000);
            for (int i = 0; i < messages; i++) {
                batch.add(new Draft(List.of(), null, JsonData.trusted(Payloads.json(SIZE, i))));
                if (batch.size() == 1000 || i == messages - 1) {
                    pool.appendBatch(batch, Durability.FAST);
                    batch.clear();
                }
            }
        }
    }

    /** The same messages as JSON lines in a file → topic, through FileStreamSourceConnector (stock settings). */
    public Figure fileStreamSource() throws Exception {
        return fileStreamSource("source FileStream", "filestream-source", Map.of());
    }

    /**
     * The same FileStream source with Kafka's {@code Filter} SMT and rockpool's {@code JqMatches$Value} as its
     * predicate, {@code .level == "error"}: no line is an error, so every record is evaluated and every one is kept,
     * and the figure is what evaluating the predicate costs the source.
     */
    public Figure fileStreamSourceWithJqFilter() throws Exception {
        return fileStreamSource("source FileStream, Filter + JqMatches", "filestream-source-jq", Map.of(
                "transforms", "dropErrors",
                "transforms.dropErrors.type", "org.apache.kafka.connect.transforms.Filter",
                "transforms.dropErrors.predicate", "isError",
                "predicates", "isError",
                "predicates.isError.type", "dev.rockpool.connect.transforms.JqMatches$Value",
                "predicates.isError.query", ".level == \"error\""));
    }

    private Figure fileStreamSource(String name, String topic, Map<String, String> extra) throws Exception {
        connect.kafka().createTopic(topic, 1);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector");
        config.put("tasks.max", "1");
        config.put("file", lines.toString());
        config.put("topic", topic);
        config.put("key.converter", STRINGS);
        config.put("value.converter", STRINGS);
        config.putAll(extra);
        return timeConnector(name, topic, config, endOffset(topic));
    }

    /**
     * Warms the broker and this JVM's Kafka and Connect code up with a fifth of the messages on topics of their own,
     * through a producer and through the source connector, so the first measured cases do not pay for the JIT.
     */
    public void warmUp() throws Exception {
        int warmUp = Math.max(count / 5, 20_000);
        connect.kafka().createTopic("warm-up", 1);
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < warmUp; i++) {
                producer.send(new ProducerRecord<>("warm-up", Payloads.json(SIZE, i)));
            }
            producer.flush();
        }
        connect.kafka().consume(1, TimeUnit.SECONDS.toMillis(30), "warm-up");
        fillPool("warm-up", warmUp);
        timeConnector("warm-up", "warm-up-source", sourceConfig("warm-up-source", "warm-up", Map.of()),
                endOffset("warm-up-source"), warmUp);
    }

    /** The ceiling: a plain producer (client defaults) sending the same values; also fills the sinks' topic. */
    public Figure rawProducer() throws Exception {
        return rawProducer("source raw producer", SINK_TOPIC, Map.of());
    }

    /** The same producer with 256 KiB batches: the ceiling beside {@link #rockpoolSourceLargeBatches()}. */
    public Figure rawProducerLargeBatches() throws Exception {
        return rawProducer("source raw producer, 256 KiB batches", "raw-producer-bigbatch",
                Map.of("batch.size", "262144"));
    }

    private Figure rawProducer(String name, String topic, Map<String, Object> overrides) throws Exception {
        connect.kafka().createTopic(topic, 1);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = Payloads.json(SIZE, i);
        }
        long start;
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(overrides)) {
            // Topic metadata first, outside the timing, as a long-running producer already has it.
            producer.partitionsFor(topic);
            start = System.nanoTime();
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long end = connect.kafka().endOffset(new TopicPartition(topic, 0));
        if (end != count) {
            throw new IllegalStateException("producer topic holds " + end + " records, expected " + count);
        }
        return new Figure(name, count, count / seconds, seconds);
    }

    // ------------------------------------------------------------------ sink

    /** The topic written by {@link #rawProducer()}, read by every sink case. */
    static final String SINK_TOPIC = "sink-input";

    /** Topic → pool through PoolSinkConnector with the ByteArrayConverter fast path. */
    public Figure rockpoolSink() throws Exception {
        return rockpoolSink("sink rockpool", "rockpool-sink", "sink", Map.of());
    }

    /** The same with the worker's consumer returning up to 5,000 records per poll instead of 500. */
    public Figure rockpoolSinkLargePolls() throws Exception {
        return rockpoolSink("sink rockpool, 5000 per poll", "rockpool-sink-bigpoll", "sink-bigpoll",
                Map.of("consumer.override.max.poll.records", "5000"));
    }

    private Figure rockpoolSink(String name, String connector, String pool, Map<String, String> extra)
            throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.rockpool.connect.sink.PoolSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", SINK_TOPIC);
        config.put("pool.dir", poolDir.toString());
        config.put("pool", pool);
        config.put("pool.create", "true");
        config.put("pool.size", Long.toString(poolBytes()));
        config.put("key.converter", BYTES);
        config.put("value.converter", BYTES);
        config.putAll(extra);
        Path poolFile = poolDir.resolve(pool + ".pool");
        Pool[] opened = new Pool[1];
        try {
            return timeConnector(name, connector, config, () -> {
                if (opened[0] == null) {
                    if (!Files.exists(poolFile)) {
                        return 0;
                    }
                    opened[0] = Pool.open(poolFile);
                }
                return opened[0].info().messageCount();
            });
        } finally {
            if (opened[0] != null) {
                opened[0].close();
            }
        }
    }

    /** Topic → file through FileStreamSinkConnector (stock settings); progress is the file's length. */
    public Figure fileStreamSink() throws Exception {
        Path out = work.resolve("filestream-sink.jsonl");
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", SINK_TOPIC);
        config.put("file", out.toString());
        config.put("key.converter", STRINGS);
        config.put("value.converter", STRINGS);
        double bytesPerMessage = (double) lineBytes / count;
        return timeConnector("sink FileStream", "filestream-sink", config, () -> {
            try {
                return Files.exists(out) ? (long) (Files.size(out) / bytesPerMessage) : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The ceiling: a plain consumer (client defaults) reading the topic from the start. */
    public Figure rawConsumer() {
        long start = System.nanoTime();
        long first = 0;
        long firstCount = 0;
        long received = 0;
        Map<String, Object> props = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "raw-consumer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props)) {
            consumer.assign(List.of(new TopicPartition(SINK_TOPIC, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(SINK_TOPIC, 0)));
            long bytes = 0;
            while (received < count) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (var r : records) {
                    bytes += r.value().length;
                }
                received += records.count();
                if (first == 0 && received > 0) {
                    first = System.nanoTime();
                    firstCount = received;
                }
                if (System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new IllegalStateException("raw consumer got " + received + " of " + count);
                }
            }
            if (bytes == 0) {
                throw new IllegalStateException("no bytes consumed");
            }
        }
        long end = System.nanoTime();
        return new Figure("sink raw consumer", count, rate(received - firstCount, end - first),
                (end - start) / 1e9);
    }

    // ------------------------------------------------------------------ CLI

    /**
     * {@code bin/rockpool --dir DIR feed cli --create --create-size S -f lines > /dev/null}: wall time of the whole
     * process, JVM start included. A {@code version} run first lets the launcher build the CLI if it must.
     */
    public Figure cliFeed(Path launcher) throws Exception {
        Process version = new ProcessBuilder(launcher.toString(), "version")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!version.waitFor(10, TimeUnit.MINUTES) || version.exitValue() != 0) {
            throw new IllegalStateException(launcher + " version failed");
        }
        List<String> command = List.of(launcher.toString(), "--dir", poolDir.toString(), "feed", "cli", "--create",
                "--create-size", Long.toString(poolBytes()), "-f", lines.toString());
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("rockpool feed did not finish in 10 minutes");
        }
        long end = System.nanoTime();
        if (p.exitValue() != 0) {
            throw new IllegalStateException("rockpool feed exited with " + p.exitValue() + ": " + command);
        }
        try (Pool pool = Pool.open(poolDir.resolve("cli.pool"))) {
            long n = pool.info().messageCount();
            if (n != count) {
                throw new IllegalStateException("rockpool feed stored " + n + " messages, expected " + count);
            }
        }
        return new Figure("cli feed -f", count, rate(count, end - start), (end - start) / 1e9);
    }

    /** The same lines parsed with {@code JsonData.parse} and appended one by one, in this process. */
    public Figure engineParseAppend() throws IOException {
        Path poolFile = poolDir.resolve("engine-parse.pool");
        long start = System.nanoTime();
        try (Pool pool = Pool.create(poolFile, PoolOptions.ofSize(poolBytes()));
             var reader = Files.newBufferedReader(lines)) {
            String line;
            while ((line = reader.readLine()) != null) {
                pool.append(new Draft(List.of(), null, JsonData.parse(line)), Durability.FAST);
            }
        }
        long end = System.nanoTime();
        Files.delete(poolFile);
        return new Figure("engine parse+append", count, rate(count, end - start), (end - start) / 1e9);
    }

    // ------------------------------------------------------------------ plumbing

    private Figure timeConnector(String name, String connector, Map<String, String> config, LongSupplier progress)
            throws InterruptedException {
        return timeConnector(name, connector, config, progress, count);
    }

    private Figure timeConnector(String name, String connector, Map<String, String> config, LongSupplier progress,
                                 int count) throws InterruptedException {
        return timeConnector(name, connector, config, progress, count, () -> { });
    }

    /**
     * Creates the connector, times it until {@code progress} reaches {@code count}, runs {@code beforeDelete} (to read
     * what the connector's clients measured while they are still open), and deletes it.
     */
    Figure timeConnector(String name, String connector, Map<String, String> config, LongSupplier progress,
                         int count, Runnable beforeDelete) throws InterruptedException {
        long start = System.nanoTime();
        connect.configureConnector(connector, config);
        long first = 0;
        long firstCount = 0;
        long n;
        while ((n = progress.getAsLong()) < count) {
            long now = System.nanoTime();
            if (first == 0 && n > 0) {
                first = now;
                firstCount = n;
            }
            if (now - start > TIMEOUT_NANOS) {
                throw new IllegalStateException(name + ": " + n + " of " + count + " after 5 minutes; status "
                        + connect.connectorStatus(connector));
            }
            Thread.sleep(POLL_MILLIS);
        }
        long end = System.nanoTime();
        if (first == 0) {
            first = start;
        }
        beforeDelete.run();
        connect.deleteConnector(connector);
        return new Figure(name, count, rate(n - firstCount, end - first), (end - start) / 1e9);
    }

    LongSupplier endOffset(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        return () -> {
            try {
                return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                        .get(30, TimeUnit.SECONDS).offset();
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the end offset of " + topic, e);
            }
        };
    }

    /** The cluster, for cases of their own that share it ({@link WanCompression}). */
    EmbeddedConnectCluster cluster() {
        return connect;
    }

    /** The one admin client of the run. */
    Admin admin() {
        return admin;
    }

    /** The pool directory of the run. */
    Path poolDir() {
        return poolDir;
    }

    private static double rate(long messages, long nanos) {
        return messages / (Math.max(nanos, 1) / 1e9);
    }

    /** A pool that holds every message with room to spare (frames are ~176 bytes for 128-byte data). */
    private long poolBytes() {
        long needed = (long) count * (SIZE + 64) * 3 / 2;
        return Math.max(PoolOptions.DEFAULT_SIZE, Math.min(PoolOptions.MAX_SIZE, needed));
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (connect != null) {
            connect.stop();
        }
    }
}
