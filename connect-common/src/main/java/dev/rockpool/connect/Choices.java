package dev.rockpool.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fixed choices of a config key, defined once: the {@link #validator()} that accepts them (case-insensitive) and
 * the recommender that lists them, so UIs offer them and {@code PUT /connector-plugins/NAME/config/validate} returns
 * them as the key's {@code recommended_values}.
 */
public final class Choices implements ConfigDef.Recommender {
    private final List<String> values;

    private Choices(List<String> values) {
        this.values = List.copyOf(values);
    }

    /** These values, in this order. */
    public static Choices of(String... values) {
        return new Choices(Arrays.asList(values));
    }

    /** The constants of an enum, lower case, in declaration order. */
    public static Choices of(Class<? extends Enum<?>> type) {
        return of(type.getEnumConstants());
    }

    /** These enum constants, lower case, in this order. */
    public static Choices of(Enum<?>... constants) {
        List<String> names = new ArrayList<>();
        for (Enum<?> constant : constants) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        return new Choices(names);
    }

    public List<String> values() {
        return values;
    }

    /** Accepts exactly these values, in any case; {@code toString()} lists them for the config reference. */
    public ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String text = value == null ? "" : value.toString().trim();
                if (values.stream().noneMatch(text::equalsIgnoreCase)) {
                    throw new ConfigException(name, value, "expected one of " + String.join(", ", values));
                }
            }

            @Override
            public String toString() {
                return values.toString();
            }
        };
    }

    /** A new, modifiable list each time: ConfigDef's validation narrows the list it is given in place. */
    @Override
    public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return new ArrayList<>(values);
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
        return true;
    }
}
