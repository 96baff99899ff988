package dev.rockpool.connect.sink;

import dev.rockpool.connect.RockpoolHeaders;
import dev.rockpool.filter.Envelope;
import dev.rockpool.filter.JqPredicate;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.List;

/**
 * A record to the message it becomes: data from the value ({@link RecordValues}), the static tags and those of the
 * tags header, the Kafka origin in the meta; or nothing when {@code filter.where} drops it.
 */
final class RecordMapper {
    private final List<String> staticTags;
    private final String tagsHeader;
    private final JqPredicate filter;

    RecordMapper(PoolSinkConfig config) {
        this.staticTags = List.copyOf(config.tags());
        this.tagsHeader = config.tagsHeader();
        this.filter = config.filter();
    }

    /**
     * The draft of a record of partition {@code tp} (its original topic and partition), or null when the filter
     * drops it.
     *
     * @throws DataException when the record is no valid message (bad data)
     */
    Draft draft(SinkRecord record, TopicPartition tp) {
        JsonData data = RecordValues.toData(record.valueSchema(), record.value());
        List<String> tags = RockpoolHeaders.tags(staticTags, record.headers(), tagsHeader);
        Origin origin = new Origin(tp.topic(), tp.partition(), record.originalKafkaOffset());
        if (filter != null && !keep(record, tags, origin, data)) {
            return null;
        }
        return new Draft(tags, origin, data);
    }

    /** The filter over the envelope the record would get: no seq yet, the record timestamp as time. */
    private boolean keep(SinkRecord record, List<String> tags, Origin origin, JsonData data) {
        Long timestamp = record.timestamp();
        Long timeNanos = timestamp != null && timestamp >= 0 ? timestamp * 1_000_000L : null;
        try {
            return filter.test(Envelope.tree(timeNanos, tags, origin, RecordValues.tree(data)));
        } catch (PoolException e) {
            // A non-boolean result: the expression is wrong for every record, not this record's fault.
            throw new ConnectException(PoolSinkConfig.FILTER_WHERE_CONFIG + ": " + e.getMessage(), e);
        }
    }
}
