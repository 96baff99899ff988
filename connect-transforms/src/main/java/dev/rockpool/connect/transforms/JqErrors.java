package dev.rockpool.connect.transforms;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a plugin does with a record whose evaluation failed, per {@code on.error}: {@code fail} throws a
 * {@link DataException} naming the record, so the worker's {@code errors.tolerance} and dead-letter queue decide;
 * otherwise the outcome is returned and the error logged (the first at WARN, the rest at DEBUG: they are counted in
 * {@code errors-total}, and a log line per record could flood the worker's log).
 */
final class JqErrors {
    private final Logger log;
    private final String what;
    private final JqConfig.Outcome onError;
    private boolean warned;

    /** @param what names the query in messages, e.g. "jq predicate '.level == 1'" */
    JqErrors(Class<?> plugin, String what, JqConfig.Outcome onError) {
        this.log = LoggerFactory.getLogger(plugin);
        this.what = what;
        this.onError = onError;
    }

    /** The configured outcome for a failed record; a {@link DataException} if that is {@code fail}. */
    JqConfig.Outcome handle(ConnectRecord<?> record, Exception error) {
        String message = what + " failed on " + describe(record) + ": " + error.getMessage();
        if (onError == JqConfig.Outcome.FAIL) {
            throw new DataException(message, error);
        }
        if (!warned) {
            warned = true;
            log.warn("{} (on.error={}; further errors are counted in {} and logged at DEBUG)", message,
                    onError.name().toLowerCase(java.util.Locale.ROOT), JqMetrics.ERRORS);
        } else {
            log.debug(message);
        }
        return onError;
    }

    private static String describe(ConnectRecord<?> record) {
        String where = "the record of topic " + record.topic() + " partition " + record.kafkaPartition();
        return record instanceof SinkRecord ? where + " offset " + ((SinkRecord) record).kafkaOffset() : where;
    }
}
