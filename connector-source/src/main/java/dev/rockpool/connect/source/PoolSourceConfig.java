package dev.rockpool.connect.source;

import dev.rockpool.connect.Choices;
import dev.rockpool.connect.JqValidator;
import dev.rockpool.connect.PoolDirConfig;
import dev.rockpool.connect.RockpoolHeaders;
import dev.rockpool.filter.JqExpression;
import dev.rockpool.filter.MessageFilter;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The configuration of {@link PoolSourceConnector} and its tasks. */
public final class PoolSourceConfig extends AbstractConfig {
    /** Pool directory: {@link PoolDirConfig}. */
    public static final String POOL_DIR_CONFIG = PoolDirConfig.POOL_DIR_CONFIG;
    /** Pool names, spread over the tasks. */
    public static final String POOLS_CONFIG = "pools";
    /** Target topic template. */
    public static final String TOPIC_CONFIG = "topic";
    /** Required tags. */
    public static final String FILTER_TAGS_CONFIG = "filter.tags";
    /** jq predicate over the envelope. */
    public static final String FILTER_WHERE_CONFIG = "filter.where";
    /** jq expression giving the record key. */
    public static final String KEY_JQ_CONFIG = "key.jq";
    /** Start position of a pool without a committed offset. */
    public static final String START_FROM_CONFIG = "start.from";
    /** Optional end of a replay. */
    public static final String STOP_AT_CONFIG = "stop.at";
    /** Gap policy. */
    public static final String ON_GAP_CONFIG = "on.gap";
    /** Most records one poll returns. */
    public static final String BATCH_MAX_MESSAGES_CONFIG = "batch.max.messages";
    /** Longest an idle poll waits. */
    public static final String POLL_TIMEOUT_MS_CONFIG = "poll.timeout.ms";
    /** Topic for heartbeat records that let Connect commit past filtered-out messages; empty: none. */
    public static final String HEARTBEAT_TOPIC_CONFIG = "heartbeat.topic";
    /** How long filtered-out messages may stay uncommitted before a heartbeat commits past them. */
    public static final String HEARTBEAT_INTERVAL_MS_CONFIG = "heartbeat.interval.ms";
    /** Java type of the record value. */
    public static final String VALUE_FORMAT_CONFIG = "value.format";
    /** Which rockpool headers each record carries. */
    public static final String HEADERS_CONFIG = "headers";

    /** The placeholder in {@link #TOPIC_CONFIG} replaced by the pool name. */
    public static final String POOL_PLACEHOLDER = "${pool}";
    /** The connector-level converter setting that {@code value.format=auto} looks at. */
    static final String VALUE_CONVERTER_CONFIG = "value.converter";

    private static final String GROUP_POOLS = "Pools";
    private static final String GROUP_RECORDS = "Records";
    private static final String GROUP_FILTERS = "Filters";
    private static final String GROUP_POSITIONS = "Positions";
    private static final String GROUP_BATCHING = "Batching";

    /** The choices of {@link #ON_GAP_CONFIG}. */
    private static final Choices ON_GAP_CHOICES = Choices.of(GapPolicy.class);

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_TOPIC_LENGTH = 249;

    /** The definition of every key: docs, defaults, validators, groups. */
    public static final ConfigDef CONFIG_DEF = configDef();

    private final List<String> pools;
    private final Start start;
    private final Positions.StopAt stopAt;
    private final GapPolicy gapPolicy;
    private final MessageFilter filter;
    private final JqExpression keyExpression;
    private final ValueFormat valueFormat;
    private final Set<RecordHeader> headers;

    /** Parses and validates {@code props}; a {@link ConfigException} naming the key for anything wrong. */
    public PoolSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        pools = List.copyOf(new LinkedHashSet<>(getList(POOLS_CONFIG)));
        start = Positions.parseStart(getString(START_FROM_CONFIG));
        stopAt = Positions.parseStop(getString(STOP_AT_CONFIG));
        gapPolicy = GapPolicy.parse(getString(ON_GAP_CONFIG));
        filter = compileFilter(getList(FILTER_TAGS_CONFIG), getString(FILTER_WHERE_CONFIG));
        keyExpression = compileJq(KEY_JQ_CONFIG, getString(KEY_JQ_CONFIG));
        valueFormat = ValueFormat.resolve(getString(VALUE_FORMAT_CONFIG), props.get(VALUE_CONVERTER_CONFIG));
        headers = RecordHeader.parse(getList(HEADERS_CONFIG));
        for (String pool : pools) {
            checkTopic(topicFor(pool), pool);
        }
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        PoolDirConfig.define(def, GROUP_POOLS, ++order);
        def.define(POOLS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new PoolNamesValidator(), Importance.HIGH,
                "Names of the pools to stream (comma-separated, at least one). Pools are spread over tasks.max tasks; "
                        + "a pool that does not exist yet is waited for.",
                GROUP_POOLS, ++order, Width.LONG, "Pools", PoolDirConfig.poolsRecommender());
        order = 0;
        def.define(TOPIC_CONFIG, Type.STRING, POOL_PLACEHOLDER, new TopicTemplateValidator(), Importance.HIGH,
                "Target topic; " + POOL_PLACEHOLDER + " is replaced by the pool name. The result must be a legal "
                        + "topic name for every pool.",
                GROUP_RECORDS, ++order, Width.MEDIUM, "Topic");
        def.define(KEY_JQ_CONFIG, Type.STRING, "", new JqValidator("jq expression"), Importance.MEDIUM,
                "jq expression over the message envelope {seq, time, meta: {tags}, data} giving the record key: a "
                        + "string result is the key as is, any other result its compact JSON text; no output or "
                        + "null gives no key. Empty: records have no key.",
                GROUP_RECORDS, ++order, Width.LONG, "Key jq");
        def.define(VALUE_FORMAT_CONFIG, Type.STRING, ValueFormat.AUTO.label(), ValueFormat.VALIDATOR, Importance.LOW,
                "Java type of the record value. bytes: the stored JSON bytes (byte[], schema BYTES; for "
                        + "ByteArrayConverter: no re-serialisation). string: the JSON text (STRING; for "
                        + "StringConverter). map: the parsed object (schemaless Map; for JsonConverter). auto: bytes "
                        + "or string when the connector's value.converter is ByteArrayConverter or StringConverter, "
                        + "else map.",
                GROUP_RECORDS, ++order, Width.SHORT, "Value format", ValueFormat.CHOICES);
        def.define(HEADERS_CONFIG, Type.LIST, RecordHeader.ALL, RecordHeader.VALIDATOR, Importance.LOW,
                "The headers each record carries, any of: pool (" + RockpoolHeaders.POOL + ", the pool name), seq ("
                        + RockpoolHeaders.SEQ + ", INT64), time (" + RockpoolHeaders.TIME + ", the message time in RFC "
                        + "3339), tags (" + RockpoolHeaders.TAGS + ", the tags as a JSON array). Empty: none. The "
                        + "worker converts every header of every record with its header.converter, so fewer headers "
                        + "make records smaller and the task faster (see docs/BENCHMARKS.md).",
                GROUP_RECORDS, ++order, Width.MEDIUM, "Headers", Choices.of(RecordHeader.class));
        order = 0;
        def.define(FILTER_TAGS_CONFIG, Type.LIST, "", Importance.MEDIUM,
                "Tags a message must all carry to be sent (comma-separated). Empty: no tag filter.",
                GROUP_FILTERS, ++order, Width.LONG, "Required tags");
        def.define(FILTER_WHERE_CONFIG, Type.STRING, "", new JqValidator("jq expression"), Importance.MEDIUM,
                "jq predicate over the message envelope; true sends the message, false or a runtime error skips it, "
                        + "a non-boolean result fails the task. Empty: no predicate.",
                GROUP_FILTERS, ++order, Width.LONG, "Where");
        order = 0;
        def.define(START_FROM_CONFIG, Type.STRING, "earliest", Positions.START_VALIDATOR, Importance.MEDIUM,
                "Where a pool with no committed offset starts: earliest (the oldest message still in the pool), "
                        + "latest (the first message appended after the task starts), seq:N (the message with seq N, "
                        + "or the next one), time:RFC3339 (the first message at or after that time).",
                GROUP_POSITIONS, ++order, Width.MEDIUM, "Start from", Positions.START_CHOICES);
        def.define(STOP_AT_CONFIG, Type.STRING, "", Positions.STOP_VALIDATOR, Importance.LOW,
                "Optional end of a replay, inclusive: seq:N or time:RFC3339. The first message past it ends the pool: "
                        + "the task sends nothing more from that pool. Empty: follow forever.",
                GROUP_POSITIONS, ++order, Width.MEDIUM, "Stop at");
        def.define(ON_GAP_CONFIG, Type.STRING, "continue", ON_GAP_CHOICES.validator(), Importance.MEDIUM,
                "What to do when messages were overwritten before the task read them: continue (log the first "
                        + "missing seq and the count, count them in the lost-messages-total metric, go on with the "
                        + "oldest message still there) or fail (fail the task, naming the first missing seq and "
                        + "the count).",
                GROUP_POSITIONS, ++order, Width.SHORT, "On gap", ON_GAP_CHOICES);
        order = 0;
        def.define(BATCH_MAX_MESSAGES_CONFIG, Type.INT, 1000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                "Most records one poll returns (over all the task's pools).",
                GROUP_BATCHING, ++order, Width.SHORT, "Batch size");
        def.define(POLL_TIMEOUT_MS_CONFIG, Type.LONG, 500L, ConfigDef.Range.between(0, 60_000), Importance.LOW,
                "Longest an idle poll waits for a new message before returning no records, in ms. stop() wakes it "
                        + "at once.",
                GROUP_BATCHING, ++order, Width.SHORT, "Poll timeout");
        def.define(HEARTBEAT_TOPIC_CONFIG, Type.STRING, "", new HeartbeatTopicValidator(), Importance.MEDIUM,
                "Topic for heartbeat records. Connect commits a source offset only with a record, so without "
                        + "heartbeats the messages the filters drop after the last record sent are read again after "
                        + "a restart (and reported as a gap if they were overwritten meanwhile). With a topic set, a "
                        + "pool whose read position moved past the last record sent gets a heartbeat record "
                        + "(key: the pool name; value: {\"pool\":NAME,\"seq\":NEXT}) at most every "
                        + HEARTBEAT_INTERVAL_MS_CONFIG + ", and its offset commits. Empty: no heartbeats.",
                GROUP_BATCHING, ++order, Width.MEDIUM, "Heartbeat topic");
        def.define(HEARTBEAT_INTERVAL_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.between(1, 3_600_000),
                Importance.LOW, "Most time, in ms, that a pool's filtered-out messages stay uncommitted while "
                        + HEARTBEAT_TOPIC_CONFIG + " is set.",
                GROUP_BATCHING, ++order, Width.SHORT, "Heartbeat interval");
        return def;
    }

    /** The keys of {@link #CONFIG_DEF} in definition order. */
    static List<String> keys() {
        return new ArrayList<>(CONFIG_DEF.configKeys().keySet());
    }

    /** The configured pool directory. */
    public PoolDirectory poolDirectory() {
        return PoolDirConfig.directory(this);
    }

    /** The pool names, without duplicates, in configured order. */
    public List<String> pools() {
        return pools;
    }

    /** The topic of a pool. */
    public String topicFor(String pool) {
        return getString(TOPIC_CONFIG).replace(POOL_PLACEHOLDER, pool);
    }

    public Start start() {
        return start;
    }

    /** The end of a replay, or null. */
    Positions.StopAt stopAt() {
        return stopAt;
    }

    public GapPolicy gapPolicy() {
        return gapPolicy;
    }

    /** The tag and jq filter; {@link MessageFilter#keepsAll()} when none is configured. */
    public MessageFilter filter() {
        return filter;
    }

    /** The key expression, or null. */
    public JqExpression keyExpression() {
        return keyExpression;
    }

    /** The resolved value format (never auto). */
    public ValueFormat valueFormat() {
        return valueFormat;
    }

    /** The headers records carry. */
    public Set<RecordHeader> headers() {
        return headers;
    }

    public int batchMaxMessages() {
        return getInt(BATCH_MAX_MESSAGES_CONFIG);
    }

    public long pollTimeoutMs() {
        return getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /** The heartbeat topic, or null when heartbeats are off. */
    public String heartbeatTopic() {
        String topic = getString(HEARTBEAT_TOPIC_CONFIG).trim();
        return topic.isEmpty() ? null : topic;
    }

    public long heartbeatIntervalMs() {
        return getLong(HEARTBEAT_INTERVAL_MS_CONFIG);
    }

    private static MessageFilter compileFilter(List<String> tags, String where) {
        List<String> wheres = where == null || where.isBlank() ? List.of() : List.of(where);
        try {
            return MessageFilter.of(tags, wheres);
        } catch (PoolException e) {
            throw new ConfigException(FILTER_WHERE_CONFIG, where, e.getMessage());
        }
    }

    private static JqExpression compileJq(String key, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JqExpression.compile(text);
        } catch (PoolException e) {
            throw new ConfigException(key, text, e.getMessage());
        }
    }

    /** Refuses a heartbeat topic Kafka would refuse. */
    static final class HeartbeatTopicValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String topic = value == null ? "" : value.toString().trim();
            if (!topic.isEmpty() && (topic.length() > MAX_TOPIC_LENGTH || topic.equals(".") || topic.equals("..")
                    || !LEGAL_TOPIC.matcher(topic).matches())) {
                throw new ConfigException(name, value, "not a legal topic name: at most " + MAX_TOPIC_LENGTH
                        + " of letters, digits, '.', '_' and '-'");
            }
        }

        @Override
        public String toString() {
            return "empty, or a legal topic name";
        }
    }

    /** Refuses a topic Kafka would refuse, naming the pool it came from. */
    static void checkTopic(String topic, String pool) {
        String problem = null;
        if (topic.isEmpty()) {
            problem = "is empty";
        } else if (topic.length() > MAX_TOPIC_LENGTH) {
            problem = "is longer than " + MAX_TOPIC_LENGTH + " characters";
        } else if (topic.equals(".") || topic.equals("..")) {
            problem = "cannot be '.' or '..'";
        } else if (!LEGAL_TOPIC.matcher(topic).matches()) {
            problem = "may only contain letters, digits, '.', '_' and '-'";
        }
        if (problem != null) {
            throw new ConfigException(TOPIC_CONFIG, topic, "the topic for pool '" + pool + "' " + problem);
        }
    }

    /** A rockpool header a record can carry ({@link #HEADERS_CONFIG}). */
    public enum RecordHeader {
        /** {@code rockpool.pool}: the pool name. */
        POOL,
        /** {@code rockpool.seq}: the message seq, INT64. */
        SEQ,
        /** {@code rockpool.time}: the message time, RFC 3339. */
        TIME,
        /** {@code rockpool.tags}: the tags as JSON array text. */
        TAGS;

        static final String ALL = "pool,seq,time,tags";

        static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                @SuppressWarnings("unchecked")
                List<String> names = (List<String>) value;
                if (names != null) {
                    try {
                        parse(names);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(name, value, e.getMessage());
                    }
                }
            }

            @Override
            public String toString() {
                return "any of " + ALL + ", or empty";
            }
        };

        static Set<RecordHeader> parse(List<String> names) {
            EnumSet<RecordHeader> set = EnumSet.noneOf(RecordHeader.class);
            for (String name : names) {
                String n = name.trim().toUpperCase(Locale.ROOT);
                if (n.isEmpty()) {
                    continue;
                }
                try {
                    set.add(valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown header '" + name.trim() + "': expected any of " + ALL);
                }
            }
            return Collections.unmodifiableSet(set);
        }
    }

    /** The Java type a record value is given as. */
    public enum ValueFormat {
        /** Resolved from the connector's value.converter. */
        AUTO,
        /** byte[] with schema BYTES: the stored bytes, for ByteArrayConverter. */
        BYTES,
        /** String with schema STRING: the JSON text, for StringConverter. */
        STRING,
        /** Schemaless Map: the parsed object, for JsonConverter and other structured converters. */
        MAP;

        static final Choices CHOICES = Choices.of(ValueFormat.class);
        static final ConfigDef.Validator VALIDATOR = CHOICES.validator();

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The format for a configured value and the connector's value.converter (null when set on the worker). */
        static ValueFormat resolve(String configured, String converter) {
            ValueFormat format = valueOf(configured.trim().toUpperCase(Locale.ROOT));
            if (format != AUTO) {
                return format;
            }
            if (converter != null) {
                String c = converter.trim();
                if (c.equals("org.apache.kafka.connect.converters.ByteArrayConverter")) {
                    return BYTES;
                }
                if (c.equals("org.apache.kafka.connect.storage.StringConverter")) {
                    return STRING;
                }
            }
            return MAP;
        }
    }

    /** Pool names must be valid names: a Usage error of the engine becomes a ConfigException. */
    private static final class PoolNamesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            if (names == null) {
                return; // missing: ConfigDef reports the required key itself
            }
            if (names.isEmpty()) {
                throw new ConfigException(name, value, "at least one pool name is required");
            }
            for (String pool : names) {
                try {
                    PoolDirectory.checkName(pool);
                } catch (PoolException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "non-empty list of pool names";
        }
    }

    /** The template must give a legal topic for a typical name; each pool is checked again with the pool list. */
    private static final class TopicTemplateValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String template = (String) value;
            checkTopic(template.replace(POOL_PLACEHOLDER, "pool"), POOL_PLACEHOLDER);
        }

        @Override
        public String toString() {
            return "topic name, may contain " + POOL_PLACEHOLDER;
        }
    }
}
