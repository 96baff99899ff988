package dev.rockpool.connect;

import dev.rockpool.filter.JqExpression;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Validates a config value that holds a jq expression (empty allowed), so that an expression that does not compile
 * is reported on its own key by Connect's config validation, not by a task failing later.
 */
public final class JqValidator implements ConfigDef.Validator {
    private final String description;

    /** @param description what {@link #toString()} shows in the config reference, e.g. "jq predicate" */
    public JqValidator(String description) {
        this.description = description;
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || value.toString().isBlank()) {
            return;
        }
        try {
            JqExpression.compile(value.toString());
        } catch (PoolException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
