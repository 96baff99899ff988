package dev.rockpool.connect;

import dev.rockpool.pool.PoolDirectory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

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
}
