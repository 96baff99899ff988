package dev.rockpool.connect;

import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.LinkedHashMap;

/**
 * Metrics of one thing a plugin watches (a pool of a task, a transformation), registered through KIP-877's plugin
 * metrics with the same tags. The worker adds its own tags first ({@code connector}, {@code task}, and for
 * transformations and predicates their alias), so the JMX name is
 * {@code kafka.connect:type=plugins,connector=NAME,task=N[,...],TAG=VALUE}. Without plugin metrics (a worker before
 * Kafka 4.1, a unit test) nothing is registered and the counters still count.
 */
public final class PluginMetricGroup {
    private final PluginMetrics metrics;
    private final LinkedHashMap<String, String> tags = new LinkedHashMap<>();

    /**
     * @param metrics      the plugin metrics the worker gave, or null
     * @param tagKeyValues tag names and values, alternating
     */
    public PluginMetricGroup(PluginMetrics metrics, String... tagKeyValues) {
        this.metrics = metrics;
        for (int i = 0; i + 1 < tagKeyValues.length; i += 2) {
            tags.put(tagKeyValues[i], tagKeyValues[i + 1]);
        }
    }

    /** A new counter, registered as {@code name}. */
    public Counter counter(String name, String description) {
        Counter counter = new Counter();
        add(name, description, counter);
        return counter;
    }

    /** Registers an existing counter as {@code name}. */
    public void add(String name, String description, Counter counter) {
        gauge(name, description, (Gauge<Long>) (config, now) -> counter.get());
    }

    /** Registers a gauge, evaluated on the reporter's thread each time the metric is read. */
    public void gauge(String name, String description, Gauge<?> gauge) {
        if (metrics != null) {
            metrics.addMetric(metrics.metricName(name, description, tags), gauge);
        }
    }
}
