package dev.rockpool.connect.transforms;

import dev.rockpool.connect.Counter;
import dev.rockpool.connect.PluginMetricGroup;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * The counts a predicate or transformation reports through KIP-877's plugin metrics. The worker tags them with the
 * connector, the task and the plugin's alias. One task thread counts, the metrics reporter reads.
 */
final class JqMetrics {
    /** Records the query ran on. */
    static final String EVALUATED = "evaluated-total";
    /** Records that matched (JqMatches) or gave an output (JqTransform). */
    static final String MATCHED = "matched-total";
    /** Records whose evaluation failed, whatever on.error did with them. */
    static final String ERRORS = "errors-total";

    private final Counter evaluated = new Counter();
    private final Counter matched = new Counter();
    private final Counter errors = new Counter();

    void evaluated() {
        evaluated.increment();
    }

    void matched() {
        matched.increment();
    }

    void error() {
        errors.increment();
    }

    /** Registers the three counts; {@code matchedMeaning} says what a match is for this plugin. */
    void register(PluginMetrics metrics, String matchedMeaning) {
        PluginMetricGroup group = new PluginMetricGroup(metrics);
        group.add(EVALUATED, "Records the jq query ran on", evaluated);
        group.add(MATCHED, matchedMeaning, matched);
        group.add(ERRORS, "Records whose jq evaluation failed (whatever on.error did with them)", errors);
    }
}
