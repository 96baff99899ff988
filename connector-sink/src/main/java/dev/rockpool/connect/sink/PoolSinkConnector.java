package dev.rockpool.connect.sink;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

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
    /** The version of the plugin jar (its manifest's Implementation-Version), "unknown" when run from classes. */
    static final String VERSION = versionOf(PoolSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return VERSION;
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

    static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
