package dev.rockpool.connect.sink;

import dev.rockpool.connect.Choices;
import dev.rockpool.connect.JqValidator;
import dev.rockpool.connect.PoolDirConfig;
import dev.rockpool.connect.RockpoolHeaders;
import dev.rockpool.filter.JqPredicate;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration of {@link PoolSinkConnector}. {@code topics} / {@code topics.regex} and the {@code errors.*}
 * keys belong to the framework; every other key is defined here with its validator, so a bad value shows up next to
 * its field in Connect's config validation ({@code PUT /connector-plugins/.../config/validate}).
 */
public class PoolSinkConfig extends AbstractConfig {
    /** Pool directory: {@link PoolDirConfig}. */
    public static final String POOL_DIR_CONFIG = PoolDirConfig.POOL_DIR_CONFIG;
    /** Target pool (name or path) with the {@code ${topic}} placeholder. */
    public static final String POOL_CONFIG = "pool";
    /** Whether missing pools are created. */
    public static final String POOL_CREATE_CONFIG = "pool.create";
    /** Size of created pools. */
    public static final String POOL_SIZE_CONFIG = "pool.size";
    /** Static tags added to every message. */
    public static final String TAGS_CONFIG = "tags";
    /** Header whose values become tags. */
    public static final String TAGS_HEADER_CONFIG = "tags.header";
    /** jq predicate over the record's envelope. */
    public static final String FILTER_WHERE_CONFIG = "filter.where";
    /** When an append counts as done: fast or flush. */
    public static final String DURABILITY_CONFIG = "durability";

    /** The placeholder in {@link #POOL_CONFIG} replaced by the record's topic. */
    public static final String TOPIC_PLACEHOLDER = "${topic}";
    /** The header the source connector writes its tags to. */
    public static final String DEFAULT_TAGS_HEADER = RockpoolHeaders.TAGS;

    private static final String GROUP_POOL = "Pool";
    private static final String GROUP_MESSAGES = "Messages";

    /** The choices of {@link #DURABILITY_CONFIG}. */
    private static final Choices DURABILITY_CHOICES = Choices.of(Durability.class);

    private static final JqValidator PREDICATE_VALIDATOR =
            new JqValidator("a jq expression yielding true or false, e.g. .data.level == \"error\"");

    /** The keys, their defaults, validators and documentation. */
    public static final ConfigDef CONFIG_DEF = PoolDirConfig.define(new ConfigDef(), GROUP_POOL, 1)
            .define(POOL_CONFIG, Type.STRING, TOPIC_PLACEHOLDER, new PoolTemplateValidator(), Importance.HIGH,
                    "Target pool: a name (file NAME.pool in '" + POOL_DIR_CONFIG + "') or a path containing '/'. "
                            + TOPIC_PLACEHOLDER + " is replaced by the record's topic (after SMTs), so the default "
                            + "lands each topic in its own pool; a fixed name lands every topic in one pool.",
                    GROUP_POOL, 2, Width.LONG, "Pool", PoolDirConfig.poolsRecommender(TOPIC_PLACEHOLDER))
            .define(POOL_CREATE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Create a missing pool (with '" + POOL_SIZE_CONFIG + "'). When false, a missing pool fails the "
                            + "task.",
                    GROUP_POOL, 3, Width.SHORT, "Create missing pools")
            .define(POOL_SIZE_CONFIG, Type.STRING, "64M", new SizeValidator(), Importance.MEDIUM,
                    "File size of pools this connector creates, e.g. 8M, 512K, 1G (64K to 2G). Existing pools keep "
                            + "their size. The oldest messages are dropped when a pool is full.",
                    GROUP_POOL, 4, Width.SHORT, "Pool size")
            .define(DURABILITY_CONFIG, Type.STRING, "fast", DURABILITY_CHOICES.validator(), Importance.MEDIUM,
                    "When a written message counts as durable, and so when its offset may be committed: 'fast' once it "
                            + "is in the shared mapping (survives a crash of the worker, not of the OS), 'flush' "
                            + "after msync (survives an OS crash or power loss; one msync per put() batch).",
                    GROUP_POOL, 5, Width.SHORT, "Durability", DURABILITY_CHOICES)
            .define(TAGS_CONFIG, Type.LIST, "", new TagsValidator(), Importance.MEDIUM,
                    "Tags added to every message, before the tags read from '" + TAGS_HEADER_CONFIG + "'.",
                    GROUP_MESSAGES, 1, Width.LONG, "Tags")
            .define(TAGS_HEADER_CONFIG, Type.STRING, DEFAULT_TAGS_HEADER, Importance.MEDIUM,
                    "Record header whose value(s) become tags: a JSON array of strings (as the rockpool source "
                            + "connector writes), a Connect list, or a plain string (one tag). Every header with this "
                            + "key counts. Empty: no tags from headers.",
                    GROUP_MESSAGES, 2, Width.MEDIUM, "Tags header")
            .define(FILTER_WHERE_CONFIG, Type.STRING, null, PREDICATE_VALIDATOR, Importance.MEDIUM,
                    "jq predicate over the record's envelope {\"time\": record timestamp (RFC 3339) or null, "
                            + "\"meta\": {\"tags\": [...], \"origin\": {\"topic\", \"partition\", \"offset\"}}, "
                            + "\"data\": {...}} (there is no seq yet). Records for which it is not true are skipped; "
                            + "their offsets still commit.",
                    GROUP_MESSAGES, 3, Width.LONG, "Filter");

    private final String poolTemplate;
    private final long poolSize;
    private final Durability durability;
    private final JqPredicate filter;

    public PoolSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        poolTemplate = getString(POOL_CONFIG);
        poolSize = PoolOptions.parseSize(getString(POOL_SIZE_CONFIG));
        durability = Durability.parse(getString(DURABILITY_CONFIG));
        String where = getString(FILTER_WHERE_CONFIG);
        filter = where == null || where.isBlank() ? null : JqPredicate.compile(where);
    }

    /** The pool directory. */
    public PoolDirectory poolDirectory() {
        return PoolDirConfig.directory(this);
    }

    /** The {@code pool} template, possibly with {@code ${topic}}. */
    public String poolTemplate() {
        return poolTemplate;
    }

    /** The pool reference (name or path) for a topic. */
    public String poolFor(String topic) {
        return poolTemplate.replace(TOPIC_PLACEHOLDER, topic);
    }

    /** True if every topic goes to its own pool. */
    public boolean poolPerTopic() {
        return poolTemplate.contains(TOPIC_PLACEHOLDER);
    }

    public boolean createPools() {
        return getBoolean(POOL_CREATE_CONFIG);
    }

    /** Options of the pools this connector creates. */
    public PoolOptions poolOptions() {
        return PoolOptions.ofSize(poolSize);
    }

    public List<String> tags() {
        return getList(TAGS_CONFIG);
    }

    /** The tags header, or null for none. */
    public String tagsHeader() {
        String header = getString(TAGS_HEADER_CONFIG);
        return header == null || header.isEmpty() ? null : header;
    }

    /** The compiled {@code filter.where}, or null to keep everything. */
    public JqPredicate filter() {
        return filter;
    }

    public Durability durability() {
        return durability;
    }

    /** Checks a pool template: only the ${topic} placeholder, and a valid name once a topic is put in. */
    static void checkPoolTemplate(String template) {
        if (template == null || template.isBlank()) {
            throw new ConfigException(POOL_CONFIG, template, "must name a pool");
        }
        String rest = template.replace(TOPIC_PLACEHOLDER, "");
        if (rest.contains("${")) {
            throw new ConfigException(POOL_CONFIG, template, "the only placeholder is " + TOPIC_PLACEHOLDER);
        }
        if (template.indexOf('/') < 0) {
            // A sample topic made of every character a topic name may hold: if it passes, every topic passes.
            String sample = template.replace(TOPIC_PLACEHOLDER, "a.b_c-D9");
            try {
                PoolDirectory.checkName(sample);
            } catch (PoolException e) {
                throw new ConfigException(POOL_CONFIG, template, e.getMessage());
            }
        }
    }

    private static final class PoolTemplateValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            checkPoolTemplate((String) value);
        }

        @Override
        public String toString() {
            return "a pool name or path; " + TOPIC_PLACEHOLDER + " is replaced by the topic";
        }
    }

    private static final class SizeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            long size;
            try {
                size = PoolOptions.parseSize(String.valueOf(value));
            } catch (PoolException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
            if (size < PoolOptions.MIN_SIZE || size > PoolOptions.MAX_SIZE) {
                throw new ConfigException(name, value, "a pool is 64K to 2G");
            }
        }

        @Override
        public String toString() {
            return "64K to 2G, e.g. 8M";
        }
    }

    private static final class TagsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> tags = (List<String>) value;
            for (String tag : tags) {
                if (tag.isEmpty()) {
                    throw new ConfigException(name, value, "a tag must not be empty");
                }
                if (tag.getBytes(StandardCharsets.UTF_8).length > 65535) {
                    throw new ConfigException(name, value, "a tag is at most 65535 bytes");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated, non-empty tags";
        }
    }

    /** Lower-case name of a durability, as the config spells it. */
    static String label(Durability durability) {
        return durability.name().toLowerCase(Locale.ROOT);
    }
}
