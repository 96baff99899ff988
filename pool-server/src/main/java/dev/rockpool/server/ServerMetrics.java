package dev.rockpool.server;

import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The server's Prometheus metrics, through the official Java client, in a registry of its own (an embedding JVM's
 * default registry is left alone). Request and stream figures are counted as they happen; the pools' own figures
 * (messages, bytes, newest seq) are read from each pool's header when scraped. Names are in docs/SERVER.md.
 */
final class ServerMetrics {
    /** The content type of {@link #scrape()}. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests = register(Counter.builder().name("rockpool_server_requests")
            .help("HTTP requests answered, by route, method and status").labelNames("route", "method", "status")
            .withoutExemplars().build());
    private final Gauge streamsOpen = register(Gauge.builder().name("rockpool_server_streams_open")
            .help("Streams open now, by pool and kind (tail, sse, websocket); a stream over several pools counts in "
                    + "each").labelNames("pool", "kind").withoutExemplars().build());
    private final Counter delivered = register(Counter.builder().name("rockpool_server_messages_delivered")
            .help("Messages sent to stream clients, by pool").labelNames("pool").withoutExemplars().build());
    private final Counter refused = register(Counter.builder().name("rockpool_server_refused")
            .help("Requests refused by a limit: body_size, streams, stream_duration").labelNames("limit")
            .withoutExemplars().build());
    private final Counter slowClients = register(Counter.builder().name("rockpool_server_slow_client_disconnects")
            .help("Stream clients disconnected because their buffer filled, by pool").labelNames("pool")
            .withoutExemplars().build());
    private final Counter appended = register(Counter.builder().name("rockpool_pool_appends")
            .help("Messages appended through this server, by pool").labelNames("pool").withoutExemplars().build());

    /** Gauges read from every pool of the directory at scrape time. */
    ServerMetrics(PoolHandles pools) {
        poolGauge(pools, "rockpool_pool_messages", "Messages in the pool", PoolInfo::messageCount);
        poolGauge(pools, "rockpool_pool_bytes_used", "Ring bytes holding messages", PoolInfo::bytesUsed);
        poolGauge(pools, "rockpool_pool_bytes_capacity", "Ring bytes in all", PoolInfo::ringCapacity);
        poolGauge(pools, "rockpool_pool_newest_seq", "Seq of the newest message (0 when empty)",
                PoolInfo::newestSeq);
    }

    private <M extends io.prometheus.metrics.model.registry.Collector> M register(M metric) {
        registry.register(metric);
        return metric;
    }

    private void poolGauge(PoolHandles pools, String name, String help, Function<PoolInfo, Long> value) {
        register(GaugeWithCallback.builder().name(name).help(help).labelNames("pool").callback(callback -> {
            for (PoolStat stat : poolStats(pools)) {
                callback.call(value.apply(stat.info), stat.name);
            }
        }).build());
    }

    private record PoolStat(String name, PoolInfo info) {
    }

    /** Each readable pool's info; a pool that cannot be read is left out (the health check reports it). */
    private static List<PoolStat> poolStats(PoolHandles pools) {
        List<PoolStat> stats = new ArrayList<>();
        for (Path file : pools.directory().list()) {
            String name = PoolDirectory.nameOf(file);
            try {
                Pool pool = pools.get(name);
                stats.add(new PoolStat(name, pool.info()));
            } catch (PoolException e) {
                // not a readable pool: /healthz says why
            }
        }
        return stats;
    }

    void request(Route route, String method, int status) {
        requests.labelValues(route == null ? "unmatched" : route.pattern, method, Integer.toString(status)).inc();
    }

    void streamOpened(String pool, String kind) {
        streamsOpen.labelValues(pool, kind).inc();
    }

    void streamClosed(String pool, String kind) {
        streamsOpen.labelValues(pool, kind).dec();
    }

    /** The delivered-messages counter of one pool, looked up once per feed. */
    CounterDataPoint delivered(String pool) {
        return delivered.labelValues(pool);
    }

    void refused(String limit) {
        refused.labelValues(limit).inc();
    }

    void slowClient(String pool) {
        slowClients.labelValues(pool).inc();
    }

    void appended(String pool, int messages) {
        appended.labelValues(pool).inc(messages);
    }

    /** The metrics in Prometheus text format 0.0.4. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
