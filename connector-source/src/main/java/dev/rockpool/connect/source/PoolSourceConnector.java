package dev.rockpool.connect.source;

import dev.rockpool.connect.PluginVersion;
import dev.rockpool.pool.PoolDirectory;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams rockpool pools into Kafka topics. The pools of {@code pools} are spread over {@code tasks.max}
 * {@link PoolSourceTask}s; each record's source partition is the pool and its offset the next seq, so a restart
 * resumes exactly where the last committed record left off.
 */
public class PoolSourceConnector extends SourceConnector {
    private Map<String, String> props;
    private PoolSourceConfig config;

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = new PoolSourceConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PoolSourceTask.class;
    }

    /** One group of pools per task, each task configured like the connector but with only its pools. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> pools = config.pools();
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> group : ConnectorUtils.groupPartitions(pools, Math.min(maxTasks, pools.size()))) {
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(PoolSourceConfig.POOLS_CONFIG, String.join(",", group));
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the pools.
    }

    @Override
    public ConfigDef config() {
        return PoolSourceConfig.CONFIG_DEF;
    }

    /**
     * Per-key checks of the ConfigDef, plus what needs several keys or the file system: the pool directory must
     * exist, and the topic of every pool must be legal. Each problem is reported on its key.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new HashMap<>();
        for (ConfigValue v : result.configValues()) {
            values.put(v.name(), v);
        }
        ConfigValue dirValue = values.get(PoolSourceConfig.POOL_DIR_CONFIG);
        if (dirValue != null && dirValue.errorMessages().isEmpty()) {
            PoolDirectory dir = PoolDirectory.resolve((String) dirValue.value());
            if (!Files.isDirectory(dir.dir())) {
                dirValue.addErrorMessage("The pool directory " + dir.dir() + " does not exist on this worker "
                        + "(create it, or a pool in it: rockpool pool create NAME)");
            }
        }
        ConfigValue poolsValue = values.get(PoolSourceConfig.POOLS_CONFIG);
        ConfigValue topicValue = values.get(PoolSourceConfig.TOPIC_CONFIG);
        if (poolsValue != null && poolsValue.errorMessages().isEmpty() && poolsValue.value() != null
                && topicValue != null && topicValue.errorMessages().isEmpty()) {
            @SuppressWarnings("unchecked")
            List<String> pools = (List<String>) poolsValue.value();
            String template = (String) topicValue.value();
            for (String pool : pools) {
                try {
                    PoolSourceConfig.checkTopic(template.replace(PoolSourceConfig.POOL_PLACEHOLDER, pool), pool);
                } catch (ConfigException e) {
                    topicValue.addErrorMessage(e.getMessage());
                    break;
                }
            }
        }
        return result;
    }

    /** Pools are read from a position Connect stores, and records are sent in seq order: exactly once works. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** The task has no natural transaction boundaries of its own: the worker's poll or interval boundaries fit. */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }

    /**
     * Validates offsets written through the REST API (KIP-875): each partition must be {@code {"pool": NAME}}, each
     * offset null (reset: the pool starts from start.from again) or {@code {"seq": N}} with N >= 1 and optionally
     * {@code "pool.id"}. Without a pool id the seq applies to whatever file the pool is. A pool the connector no
     * longer streams may only be reset (a null offset, as Kafka's FileStream source allows), so operators can clean
     * up the offsets of pools they removed from {@code pools}.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        PoolSourceConfig cfg = new PoolSourceConfig(connectorConfig);
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Map<String, ?> partition = e.getKey();
            Object pool = partition == null ? null : partition.get(OffsetFields.POOL);
            if (partition == null || partition.size() != 1 || !(pool instanceof String)) {
                throw new ConnectException("Source partition " + partition + " is not {\"" + OffsetFields.POOL
                        + "\": \"NAME\"}");
            }
            Map<String, ?> offset = e.getValue();
            if (offset != null && !cfg.pools().contains(pool)) {
                throw new ConnectException("Source partition " + partition + " names pool '" + pool
                        + "', which is not among the connector's pools " + cfg.pools() + ": its offset can only be "
                        + "reset (null)");
            }
            if (offset != null) {
                String problem = OffsetFields.problemWith(offset);
                if (problem != null) {
                    throw new ConnectException("Offset " + offset + " for pool '" + pool + "': " + problem);
                }
            }
        }
        return true;
    }
}
