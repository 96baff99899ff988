package dev.rockpool.connect.sink;

import dev.rockpool.connect.PluginVersion;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lands Kafka topics in rockpool pools. A thin connector, as Kafka's {@code FileStreamSinkConnector}: every task
 * gets the same configuration and the framework spreads the topic partitions over them. Config validation is the
 * framework's {@code validate()} over {@link PoolSinkConfig#CONFIG_DEF}: each key's validator reports against that
 * key (a jq expression that does not compile, a bad size, pool name template or durability).
 */
public class PoolSinkConnector extends SinkConnector {
    private static final Logger log = LoggerFactory.getLogger(PoolSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        // Parse once so that a bad configuration fails the connector, not each task later.
        new PoolSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PoolSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the pools.
    }

    @Override
    public ConfigDef config() {
        return PoolSinkConfig.CONFIG_DEF;
    }

    /**
     * Validates offsets written through the REST API (KIP-875): every partition {@code >= 0}, every offset {@code >= 0}
     * or null (reset). The consumer then starts there, but the pools' own record of Kafka origins still decides what
     * is written: records a pool already holds are skipped, so moving back (or resetting) lands nothing twice in a
     * pool that still holds them, and moving forward skips records for good. This is logged as a WARN; to land a
     * topic again, use a new pool.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        PoolSinkConfig config = new PoolSinkConfig(connectorConfig);
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            if (e.getKey().partition() < 0) {
                throw new ConnectException("Partition " + e.getKey() + ": a partition number is >= 0");
            }
            if (e.getValue() != null && e.getValue() < 0) {
                throw new ConnectException("Offset " + e.getValue() + " for " + e.getKey() + ": an offset is >= 0, "
                        + "or null to reset");
            }
        }
        log.warn("Offsets altered for {}: the consumer starts there, but records that pool {} already holds (by "
                + "their Kafka origin) are skipped, so nothing is landed twice; to land a topic again, use a new pool",
                offsets.keySet(), config.poolTemplate());
        return true;
    }
}
