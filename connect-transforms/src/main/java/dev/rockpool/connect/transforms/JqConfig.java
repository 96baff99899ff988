package dev.rockpool.connect.transforms;

import dev.rockpool.connect.Choices;
import dev.rockpool.connect.JqValidator;
import dev.rockpool.filter.JqExpression;
import dev.rockpool.filter.JqPredicate;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.util.Locale;
import java.util.Map;

/**
 * The configuration of {@link JqMatches} ({@link #MATCHES}) and {@link JqTransform} ({@link #TRANSFORM}): the query,
 * its bounds, and what a null value and a runtime error do. The query is compiled by its validator, so a syntax
 * error is a {@code ConfigException} naming the key and the position, at configure time and in
 * {@code PUT /connector-plugins/.../config/validate}.
 */
final class JqConfig extends AbstractConfig {
    /** The jq expression. */
    static final String QUERY = "query";
    /** What a null key or value (a tombstone) does. */
    static final String ON_NULL = "on.null";
    /** What a runtime error of the query does. */
    static final String ON_ERROR = "on.error";
    /** The step bound of one evaluation. */
    static final String MAX_STEPS = "max.steps";
    /** The size bound of one output. */
    static final String MAX_OUTPUT_BYTES = "max.output.bytes";
    /** Strings and bytes: a string output as its text, as {@code jq -r}. */
    static final String RAW_OUTPUT = "raw.output";

    /** What a null input or a runtime error does; each plugin accepts its own subset. */
    enum Outcome {
        /** Run the query on a null as on any other input. */
        EVALUATE,
        /** Throw a {@code DataException}: the worker's {@code errors.tolerance} and dead-letter queue decide. */
        FAIL,
        /** JqTransform: the record goes on unchanged. */
        KEEP,
        /** JqTransform: the record is dropped. */
        DROP,
        /** JqMatches: the predicate is false. */
        FALSE,
        /** JqMatches: the predicate is true. */
        TRUE
    }

    private static final String GROUP = "jq";

    private static final Choices MATCHES_ON_NULL = Choices.of(Outcome.FALSE, Outcome.TRUE, Outcome.EVALUATE);
    private static final Choices MATCHES_ON_ERROR = Choices.of(Outcome.FAIL, Outcome.FALSE, Outcome.TRUE);
    private static final Choices TRANSFORM_ON_NULL = Choices.of(Outcome.KEEP, Outcome.DROP, Outcome.EVALUATE);
    private static final Choices TRANSFORM_ON_ERROR = Choices.of(Outcome.FAIL, Outcome.KEEP, Outcome.DROP);

    /** The keys of {@link JqMatches}. */
    static final ConfigDef MATCHES = common()
            .define(ON_NULL, Type.STRING, "false", MATCHES_ON_NULL.validator(),
                    Importance.MEDIUM, "What a null key or value (a tombstone) makes of the predicate: 'false' "
                            + "(default: a Filter keeps tombstones), 'true', or 'evaluate' (run the query with null "
                            + "as input).", GROUP, 3, ConfigDef.Width.SHORT, "On null",
                    MATCHES_ON_NULL)
            .define(ON_ERROR, Type.STRING, "fail", MATCHES_ON_ERROR.validator(),
                    Importance.MEDIUM, "What a runtime error makes of the predicate (input that is not JSON, indexing "
                            + "a string, a non-boolean result, the step bound): 'fail' (default: a DataException, so "
                            + "the worker's errors.tolerance and dead-letter queue decide), 'false' or 'true'.",
                    GROUP, 4, ConfigDef.Width.SHORT, "On error", MATCHES_ON_ERROR);

    /** The keys of {@link JqTransform}. */
    static final ConfigDef TRANSFORM = common()
            .define(ON_NULL, Type.STRING, "keep", TRANSFORM_ON_NULL.validator(),
                    Importance.MEDIUM, "What a null key or value (a tombstone) does: 'keep' (default: the record goes "
                            + "on unchanged), 'drop', or 'evaluate' (run the query with null as input).",
                    GROUP, 3, ConfigDef.Width.SHORT, "On null", TRANSFORM_ON_NULL)
            .define(ON_ERROR, Type.STRING, "fail", TRANSFORM_ON_ERROR.validator(),
                    Importance.MEDIUM, "What a runtime error does (input that is not JSON, indexing a string, more "
                            + "than one output, the step or size bound): 'fail' (default: a DataException, so the "
                            + "worker's errors.tolerance and dead-letter queue decide), 'keep' (the record goes on "
                            + "unchanged) or 'drop'.", GROUP, 4, ConfigDef.Width.SHORT, "On error",
                    TRANSFORM_ON_ERROR)
            .define(MAX_OUTPUT_BYTES, Type.INT, 1 << 20, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "The largest output, in bytes of its compact JSON text; a larger one is a runtime error.",
                    GROUP, 5, ConfigDef.Width.SHORT, "Max output bytes")
            .define(RAW_OUTPUT, Type.BOOLEAN, false, Importance.LOW, "For string and bytes keys or values (JSON "
                            + "text): write a string output as the text itself, not as a JSON string, as 'jq -r' "
                            + "does.", GROUP, 6, ConfigDef.Width.SHORT, "Raw output");

    private JqConfig(ConfigDef def, Map<?, ?> props) {
        super(def, props);
    }

    /** The predicate's configuration; a {@code ConfigException} if a key is invalid. */
    static JqConfig matches(Map<?, ?> props) {
        return new JqConfig(MATCHES, props);
    }

    /** The transformation's configuration; a {@code ConfigException} if a key is invalid. */
    static JqConfig transform(Map<?, ?> props) {
        return new JqConfig(TRANSFORM, props);
    }

    private static ConfigDef common() {
        return new ConfigDef()
                .define(QUERY, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.CompositeValidator.of(
                                new ConfigDef.NonEmptyString(), new JqValidator("a jq expression")),
                        Importance.HIGH, "The jq expression (jq 1.7 as rockpool follow --where runs it). It sees "
                                + "the key or value as JSON: string and bytes as JSON text, other Connect data as "
                                + "its JSON form.", GROUP, 1, ConfigDef.Width.LONG, "jq query")
                .define(MAX_STEPS, Type.LONG, JqExpression.DEFAULT_MAX_STEPS, ConfigDef.Range.atLeast(1),
                        Importance.LOW, "The step bound of one evaluation (a step is a call of a builtin or a value "
                                + "it produces); past it the evaluation is a runtime error, so a loop such as "
                                + "[range(1e18)] cannot hang the task.", GROUP, 2, ConfigDef.Width.SHORT, "Max steps");
    }

    /** The compiled query, with its step bound. */
    JqExpression query() {
        return JqExpression.compile(getString(QUERY), getLong(MAX_STEPS));
    }

    /** The compiled query as a predicate, with its step bound. */
    JqPredicate predicate() {
        return JqPredicate.compile(getString(QUERY), getLong(MAX_STEPS));
    }

    /** What a null input does. */
    Outcome onNull() {
        return Outcome.valueOf(getString(ON_NULL).toUpperCase(Locale.ROOT));
    }

    /** What a runtime error does. */
    Outcome onError() {
        return Outcome.valueOf(getString(ON_ERROR).toUpperCase(Locale.ROOT));
    }
}
