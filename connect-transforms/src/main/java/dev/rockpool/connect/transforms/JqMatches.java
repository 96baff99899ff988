package dev.rockpool.connect.transforms;

import dev.rockpool.connect.PluginVersion;
import dev.rockpool.filter.JqPredicate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;

import java.util.Map;

/**
 * A jq predicate over a record's key ({@link Key}) or value ({@link Value}), for Kafka's {@code Filter} SMT and for
 * the {@code predicate} of any SMT. It holds if the query yields {@code true}; {@code false}, {@code null} and no
 * output make it false; another result is a runtime error. The query is compiled once per task, each evaluation is
 * bounded, and {@code on.null} and {@code on.error} decide the rest. See docs/TRANSFORMS.md.
 */
public abstract class JqMatches<R extends ConnectRecord<R>> implements Predicate<R>, Monitorable {
    private final RecordSide side;
    private final JqMetrics metrics = new JqMetrics();
    private JqPredicate predicate;
    private JqConfig.Outcome onNull;
    private JqErrors errors;

    private JqMatches(RecordSide side) {
        this.side = side;
    }

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public ConfigDef config() {
        return JqConfig.MATCHES;
    }

    @Override
    public void configure(Map<String, ?> props) {
        JqConfig config = JqConfig.matches(props);
        predicate = config.predicate();
        onNull = config.onNull();
        errors = new JqErrors(getClass(), "jq predicate '" + predicate.text() + "'", config.onError());
    }

    @Override
    public boolean test(R record) {
        Object input = side.value(record);
        if (input == null && onNull != JqConfig.Outcome.EVALUATE) {
            return onNull == JqConfig.Outcome.TRUE;
        }
        metrics.evaluated();
        boolean matches;
        try {
            matches = predicate.matches(JqInput.read(side.schema(record), input));
        } catch (Exception e) {
            metrics.error();
            return errors.handle(record, e) == JqConfig.Outcome.TRUE;
        }
        if (matches) {
            metrics.matched();
        }
        return matches;
    }

    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        metrics.register(pluginMetrics, "Records for which the jq predicate held");
    }

    @Override
    public void close() {
        // Nothing held: the compiled query is plain memory.
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{query=" + (predicate == null ? null : predicate.text()) + "}";
    }

    /** The predicate over the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends JqMatches<R> {
        public Key() {
            super(RecordSide.KEY);
        }
    }

    /** The predicate over the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends JqMatches<R> {
        public Value() {
            super(RecordSide.VALUE);
        }
    }
}
