package dev.rockpool.connect;

import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code pool.dir}: the directory of the pools on the worker's host, defined the same way for every connector. */
public final class PoolDirConfig {
    /** The key. */
    public static final String POOL_DIR_CONFIG = "pool.dir";

    private static final String DOC = "Directory holding the pools (NAME.pool) on the worker's host. Empty: "
            + "$ROCKPOOL_DIR of the worker, else ~/.rockpool/pools of the worker's user. A leading ~/ is the worker "
            + "user's home.";

    private PoolDirConfig() {
    }

    /** Defines {@code pool.dir} (default empty) in {@code def}, in {@code group} at {@code order}. */
    public static ConfigDef define(ConfigDef def, String group, int order) {
        return def.define(POOL_DIR_CONFIG, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, DOC, group, order,
                ConfigDef.Width.LONG, "Pool directory");
    }

    /** The directory a config names: {@code pool.dir}, else {@code $ROCKPOOL_DIR}, else {@code ~/.rockpool/pools}. */
    public static PoolDirectory directory(AbstractConfig config) {
        return PoolDirectory.resolve(config.getString(POOL_DIR_CONFIG));
    }

    /**
     * Recommends the pools of the directory that {@code pool.dir} names (the {@code NAME.pool} files, by name, sorted),
     * after {@code first}: what a UI offers for a key naming pools. Empty beside {@code first} when the directory is
     * missing or unreadable ({@code pool.dir}'s own validation says so).
     */
    public static ConfigDef.Recommender poolsRecommender(String... first) {
        return new ConfigDef.Recommender() {
            @Override
            public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
                List<Object> names = new ArrayList<>(Arrays.asList(first));
                Object dir = parsedConfig.get(POOL_DIR_CONFIG);
                try {
                    for (Path file : PoolDirectory.resolve(dir == null ? "" : dir.toString()).list()) {
                        String pool = PoolDirectory.nameOf(file);
                        if (isPoolName(pool)) {
                            names.add(pool);
                        }
                    }
                } catch (PoolException e) {
                    // An unreadable directory recommends nothing; pool.dir's validation reports the directory.
                }
                return names;
            }

            @Override
            public boolean visible(String name, Map<String, Object> parsedConfig) {
                return true;
            }
        };
    }

    /** False for a file name no pool reference could name (e.g. {@code .hidden.pool}). */
    private static boolean isPoolName(String name) {
        try {
            PoolDirectory.checkName(name);
            return true;
        } catch (PoolException e) {
            return false;
        }
    }
}
