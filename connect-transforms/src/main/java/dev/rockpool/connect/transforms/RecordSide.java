package dev.rockpool.connect.transforms;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/** The side of a record a plugin reads and, for a transformation, replaces: the {@code $Key} or {@code $Value} one. */
enum RecordSide {
    KEY {
        @Override
        Schema schema(ConnectRecord<?> record) {
            return record.keySchema();
        }

        @Override
        Object value(ConnectRecord<?> record) {
            return record.key();
        }

        @Override
        <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object value) {
            return record.newRecord(record.topic(), record.kafkaPartition(), schema, value, record.valueSchema(),
                    record.value(), record.timestamp());
        }
    },
    VALUE {
        @Override
        Schema schema(ConnectRecord<?> record) {
            return record.valueSchema();
        }

        @Override
        Object value(ConnectRecord<?> record) {
            return record.value();
        }

        @Override
        <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object value) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                    schema, value, record.timestamp());
        }
    };

    /** The schema of this side. */
    abstract Schema schema(ConnectRecord<?> record);

    /** This side: the key or the value. */
    abstract Object value(ConnectRecord<?> record);

    /** The record with this side replaced (headers and timestamp kept). */
    abstract <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object value);
}
