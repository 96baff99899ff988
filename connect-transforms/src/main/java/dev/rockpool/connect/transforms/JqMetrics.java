package dev.rockpool.connect.transforms;

import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.LinkedHashMap;

/**
 * The counts a predicate or transformation reports through KIP-877's plugin metrics. The worker tags them with the
 * connector, the task and the plugin's alias. One task thread writes, the metrics reporter reads: volatile
 * counters with a single writer need no atomic increments.
 */
final class JqMetrics {
    /** Records the query ran on. */
    static final String EVALUATED = "evaluated-total";
    /** Records that matched (JqMatches) or gave an output (JqTransform). */
    static final String MATCHED = "matched-total";
    /** Records whose evaluation failed, whatever on.error did with them. */
    static final String ERRORS = "errors-total";

    private volatile long evaluated;
    private volatile long matched;
    private volatile long errors;

    void evaluated() {
        evaluated++;
    }

    void matched() {
        matched++;
    }

    void error() {
        errors++;
    }

    /** Registers the three counts; {@code matchedMeaning} says what a match is for this plugin. */
    void register(PluginMetrics metrics, String matchedMeaning) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        metrics.addMetric(metrics.metricName(EVALUATED, "Records the jq query ran on", tags),
                (Gauge<Long>) (config, now) -> evaluated);
        metrics.addMetric(metrics.metricName(MATCHED, matchedMeaning, tags), (Gauge<Long>) (config, now) -> matched);
        metrics.addMetric(metrics.metricName(ERRORS, "Records whose jq evaluation failed (whatever on.error did "
                + "with them)", tags), (Gauge<Long>) (config, now) -> errors);
    }
}
