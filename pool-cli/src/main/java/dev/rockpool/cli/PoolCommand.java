package dev.rockpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;
import dev.rockpool.pool.PoolOptions;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** {@code rockpool pool create|list|info|delete}: manage the pool files of a directory. */
final class PoolCommand extends CliCommand {
    private static final List<String> SUBCOMMANDS = List.of("create", "list", "info", "delete");

    private final Rockpool root;

    PoolCommand(Rockpool root) {
        super("pool", true, "Create, list, inspect and delete pools.");
        this.root = root;
    }

    @Override
    List<String> subcommandNames() {
        return SUBCOMMANDS;
    }

    @Override
    CliCommand subcommand(String name) {
        switch (name) {
            case "create": return new Create(root);
            case "list": return new ListPools(root);
            case "info": return new Info(root);
            case "delete": return new Delete(root);
            default: return null;
        }
    }

    @Override
    public Integer call() {
        throw Rockpool.usageError("rockpool pool", "missing subcommand: create, list, info or delete");
    }

    /** {@code NAME...}: the pools a command creates or deletes. */
    private static PositionalParamSpec names() {
        return PositionalParamSpec.builder().index("0..*").arity("1..*").required(true).paramLabel("NAME").type(List.class)
                .auxiliaryTypes(String.class).description("Pool names (or paths containing '/').").build();
    }

    /** {@code pool create NAME... [--size 8M] [--index-capacity N] [--json]}. */
    static final class Create extends CliCommand {
        private final Rockpool root;
        private final PositionalParamSpec namesArg = names();
        private final OptionSpec sizeArg = OptionSpec.builder("--size").paramLabel("SIZE").type(Long.class)
                .defaultValue("64M").converters(new Converters.PoolSize())
                .description("File size, fixed for the pool's life: 64K to 2G (default: ${DEFAULT-VALUE}).").build();
        private final OptionSpec indexCapacityArg = OptionSpec.builder("--index-capacity").paramLabel("N")
                .type(Long.class).converters(new Converters.AtLeastOne())
                .description("Seq index slots, at least 1 (default: one per 128 bytes of file).").build();
        private final OptionSpec jsonArg = Options.json();

        Create(Rockpool root) {
            super("create", false, "Create pools (never overwrites: an existing pool is AlreadyExists).");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(namesArg, sizeArg, indexCapacityArg, jsonArg);
        }

        @Override
        public Integer call() {
            Long indexCapacity = indexCapacityArg.getValue();
            PoolOptions options = new PoolOptions(sizeArg.getValue(), indexCapacity == null ? 0 : indexCapacity);
            PoolDirectory dir = root.directory();
            return eachName(root, PoolRef.all(Options.values(namesArg)), Options.isSet(jsonArg), "pools", name -> {
                try (Pool pool = dir.create(name.text(), options)) {
                    PoolInfo info = pool.info();
                    return new Done(infoJson(name.text(), info),
                            "created " + name + " (" + human(info.fileSize()) + ") at " + info.path());
                }
            });
        }
    }

    /** {@code pool list [--json]}. */
    static final class ListPools extends CliCommand {
        private final Rockpool root;
        private final OptionSpec jsonArg = Options.json();

        ListPools(Rockpool root) {
            super("list", true, "List the pools of the directory.");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(jsonArg);
        }

        @Override
        public Integer call() {
            boolean json = Options.isSet(jsonArg);
            PoolDirectory dir = root.directory();
            Output out = new Output(root.io().out());
            ArrayNode pools = JsonNodeFactory.instance.arrayNode();
            if (!json) {
                out.line(String.format(Locale.ROOT, "%-24s %10s %10s %12s %12s  %s", "NAME", "SIZE", "MESSAGES",
                        "OLDEST", "NEWEST", "NEWEST TIME"));
            }
            for (Path file : dir.list()) {
                String name = PoolDirectory.nameOf(file);
                try (Pool pool = Pool.open(file)) {
                    PoolInfo info = pool.info();
                    pools.add(infoJson(name, info));
                    if (!json) {
                        out.line(String.format(Locale.ROOT, "%-24s %10s %10d %12d %12d  %s", name,
                                human(info.fileSize()), info.messageCount(), info.oldestSeq(), info.newestSeq(),
                                info.messageCount() == 0 ? "-" : TimeFormat.format(info.newestTimeNanos())));
                    }
                } catch (PoolException e) {
                    // An unreadable pool is listed with its error instead of failing the whole listing.
                    ObjectNode entry = pools.addObject().put("name", name).put("path", file.toString());
                    entry.putObject("error").put("kind", e.kind().label()).put("message", e.getMessage());
                    if (!json) {
                        out.line(String.format(Locale.ROOT, "%-24s %s: %s", name, e.kind().label(),
                                e.getMessage()));
                    }
                }
            }
            if (json) {
                out.line(render(root.io(), wrap("pools", pools)));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code pool info NAME [--json]}. */
    static final class Info extends CliCommand {
        private final Rockpool root;
        private final PositionalParamSpec nameArg = PositionalParamSpec.builder().index("0").required(true).paramLabel("NAME")
                .type(PoolRef.class).converters(new PoolRef.Converter())
                .description("Pool name (or a path containing '/').").build();
        private final OptionSpec jsonArg = Options.json();

        Info(Rockpool root) {
            super("info", true, "Show a pool's bounds and usage.");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(nameArg, jsonArg);
        }

        @Override
        public Integer call() {
            PoolRef name = nameArg.getValue();
            Output out = new Output(root.io().out());
            try (Pool pool = root.open(name)) {
                PoolInfo info = pool.info();
                if (Options.isSet(jsonArg)) {
                    out.line(render(root.io(), infoJson(name.text(), info)));
                } else {
                    out.line("Pool: " + name);
                    out.line("Path: " + info.path());
                    out.line("Id: " + info.poolId() + " (format version " + info.formatVersion() + ")");
                    out.line("Size: " + info.fileSize() + " bytes (" + human(info.fileSize()) + "; ring "
                            + info.ringCapacity() + " bytes, index " + info.indexCapacity() + " slots)");
                    out.line("Bounds: oldest=" + info.oldestSeq() + " newest=" + info.newestSeq() + " count="
                            + info.messageCount() + " next=" + info.nextSeq());
                    out.line("Utilization: used=" + info.bytesUsed() + "B free=" + info.bytesFree() + "B ("
                            + fixed(percent(info), 2) + "%)");
                    out.line("Times: oldest=" + time(info.oldestTimeNanos(), info.messageCount()) + " newest="
                            + time(info.newestTimeNanos(), info.messageCount()) + " created="
                            + TimeFormat.format(info.createdNanos()));
                }
            }
            out.flush();
            return 0;
        }

        private static String time(long nanos, long count) {
            return count == 0 ? "-" : TimeFormat.format(nanos);
        }
    }

    /** {@code pool delete NAME... [--json]}. */
    static final class Delete extends CliCommand {
        private final Rockpool root;
        private final PositionalParamSpec namesArg = names();
        private final OptionSpec jsonArg = Options.json();

        Delete(Rockpool root) {
            super("delete", true,
                    "Delete pools. Processes that have one open keep reading their copy until they close it.");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(namesArg, jsonArg);
        }

        @Override
        public Integer call() {
            PoolDirectory dir = root.directory();
            return eachName(root, PoolRef.all(Options.values(namesArg)), Options.isSet(jsonArg), "deleted", name -> {
                Path file = dir.pathOf(name.text());
                dir.delete(name.text());
                ObjectNode entry = JsonNodeFactory.instance.objectNode().put("name", name.text())
                        .put("path", file.toString());
                return new Done(entry, "deleted " + name + " (" + file + ")");
            });
        }
    }

    // ------------------------------------------------------------------ shared rendering

    /** What one name's action did: its entry in the JSON list, and its line of text. */
    private record Done(ObjectNode json, String text) {
    }

    /**
     * Runs {@code action} for each name and goes on after a failure, as rm and mkdir do: each failure is reported, the
     * first sets the exit code. Prints a line of text per name done, or with {@code json} one {@code {"FIELD":[...]}}.
     */
    private static int eachName(Rockpool root, List<PoolRef> names, boolean json, String field,
                                Function<PoolRef, Done> action) {
        Output out = new Output(root.io().out());
        ArrayNode entries = JsonNodeFactory.instance.arrayNode();
        PoolException first = null;
        for (PoolRef name : names) {
            try {
                Done done = action.apply(name);
                entries.add(done.json());
                if (!json) {
                    out.line(done.text());
                }
            } catch (PoolException e) {
                root.io().error(e, Hints.of(e, root::refOf));
                first = first == null ? e : first;
            }
        }
        if (json) {
            out.line(render(root.io(), wrap(field, entries)));
        }
        out.flush();
        return first == null ? 0 : first.kind().exitCode();
    }

    /** The JSON description of a pool (snake_case field names, as plasmite's {@code pool info --json}). */
    static ObjectNode infoJson(String name, PoolInfo info) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("path", info.path().toString());
        o.put("pool_id", info.poolId());
        o.put("format_version", info.formatVersion());
        o.put("file_size", info.fileSize());
        o.put("ring_size", info.ringCapacity());
        o.put("index_capacity", info.indexCapacity());
        ObjectNode bounds = o.putObject("bounds");
        if (info.messageCount() > 0) {
            bounds.put("oldest", info.oldestSeq());
            bounds.put("newest", info.newestSeq());
        }
        o.put("next_seq", info.nextSeq());
        o.put("message_count", info.messageCount());
        o.put("used_bytes", info.bytesUsed());
        o.put("free_bytes", info.bytesFree());
        o.put("used_percent", Math.round(percent(info) * 100) / 100.0);
        if (info.messageCount() > 0) {
            o.put("oldest_time", TimeFormat.format(info.oldestTimeNanos()));
            o.put("newest_time", TimeFormat.format(info.newestTimeNanos()));
        } else {
            o.putNull("oldest_time");
            o.putNull("newest_time");
        }
        o.put("created", TimeFormat.format(info.createdNanos()));
        return o;
    }

    private static double percent(PoolInfo info) {
        return info.ringCapacity() == 0 ? 0 : 100.0 * info.bytesUsed() / info.ringCapacity();
    }

    static ObjectNode wrap(String field, JsonNode value) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(field, value);
        return o;
    }

    /** JSON text: indented for a terminal, one compact line otherwise. */
    static String render(Io io, JsonNode node) {
        try {
            return io.stdoutTerminal() ? MessageOutput.Pretty.WRITER.writeValueAsString(node)
                    : JsonTrees.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot render JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code 64M}, {@code 1.5G}, {@code 65536B}: binary units, as --size takes them. */
    static String human(long bytes) {
        String[] units = {"B", "K", "M", "G"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1 && bytes % 1024 == 0) {
            v /= 1024;
            bytes /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : fixed(v, 1)) + units[u];
    }

    /**
     * {@code value} with {@code decimals} digits after the point, rounded half up: what {@code %.Nf} prints, without
     * a Formatter, whose locale data would cost {@code pool info} ~10 ms of its start.
     */
    static String fixed(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
