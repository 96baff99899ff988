package dev.rockpool.pool;

import java.util.Objects;

/**
 * Where a message came from when it was copied in from a partitioned log (a Kafka topic for the sink connector):
 * stored in the message meta so that a writer can find, after a crash, the last position it wrote.
 *
 * @param topic     the topic (or stream) name
 * @param partition the partition
 * @param offset    the offset within the partition
 */
public record Origin(String topic, int partition, long offset) {
    public Origin {
        Objects.requireNonNull(topic, "topic");
    }
}
