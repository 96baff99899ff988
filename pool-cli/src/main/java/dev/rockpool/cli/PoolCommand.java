package dev.rockpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.PoolInfoJson;
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

/**
 * {@code rockpool pool create|list|info|delete}: manage the pool files of a directory, or the pools of a server
 * ({@code http(s)://host:port/POOL}, through {@link Remote}), printed alike.
 */
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
                .auxiliaryTypes(String.class)
                .description("Pool names (or paths containing '/', or http(s)://host:port/POOL).").build();
    }

    /** {@code pool create NAME... [--size 8M] [--index-capacity N] [--json]}. */
    static final class Create extends CliCommand {
        private final Rockpool root;
        private final PositionalParamSpec namesArg = names();
        private final OptionSpec sizeArg = OptionSpec.builder("--size").paramLabel("SIZE").type(Long.class)
                .defaultValue("64M").converters(new Converters.PoolSize())
                .description("File size, fixed for the pool's life: 64K to 1T (default: ${DEFAULT-VALUE}).").build();
        private final OptionSpec indexCapacityArg = OptionSpec.builder("--index-capacity").paramLabel("N")
                .type(Long.class).converters(new Converters.AtLeastOne())
                .description("Seq index slots, at least 1 (default: one per 128 bytes of file).").build();
        private final OptionSpec jsonArg = Options.json();
        private final Options.Remote remote = new Options.Remote();

        Create(Rockpool root) {
            super("create", false, "Create pools (never overwrites: an existing pool is AlreadyExists).");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(namesArg, sizeArg, indexCapacityArg, jsonArg).add(remote.arguments());
        }

        @Override
        public Integer call() {
            Long indexCapacity = indexCapacityArg.getValue();
            PoolOptions options = new PoolOptions(sizeArg.getValue(), indexCapacity == null ? 0 : indexCapacity);
            PoolDirectory dir = root.directory();
            List<PoolRef> names = PoolRef.all(Options.values(namesArg));
            return eachName(root, names, remote, Options.isSet(jsonArg), "pools", name -> {
                PoolInfo info;
                if (name.remote()) {
                    info = Remote.create(name, remote, options.sizeBytes(), options.indexCapacity());
                } else {
                    try (Pool pool = dir.create(name.text(), options)) {
                        info = pool.info();
                    }
                }
                return new Done(infoJson(name, info),
                        "created " + name + " (" + human(info.fileSize()) + ") at " + info.path());
            });
        }
    }

    /** {@code pool list [SERVER] [--json]}. */
    static final class ListPools extends CliCommand {
        private final Rockpool root;
        private final PositionalParamSpec serverArg = PositionalParamSpec.builder().index("0").arity("0..1")
                .paramLabel("SERVER").type(String.class)
                .description("A server, http(s)://host:port: list its pools instead.").build();
        private final OptionSpec jsonArg = Options.json();
        private final Options.Remote remote = new Options.Remote();

        private boolean json;
        private Output out;
        private ArrayNode pools;

        ListPools(Rockpool root) {
            super("list", true, "List the pools of the directory, or of a server.");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(serverArg, jsonArg).add(remote.arguments());
        }

        @Override
        public Integer call() {
            String server = serverArg.getValue();
            if (server != null && !PoolRef.isUrl(server)) {
                throw new PoolException(ErrorKind.USAGE, "'" + server + "' is not a server: expected "
                        + "http(s)://host:port");
            }
            remote.check(server != null);
            json = Options.isSet(jsonArg);
            out = new Output(root.io().out());
            pools = JsonNodeFactory.instance.arrayNode();
            if (!json) {
                out.line(String.format(Locale.ROOT, "%-24s %10s %10s %12s %12s  %s", "NAME", "SIZE", "MESSAGES",
                        "OLDEST", "NEWEST", "NEWEST TIME"));
            }
            if (server != null) {
                Remote.list(server, remote, (name, info, error) -> show(name, null, info, error));
            } else {
                for (Path file : root.directory().list()) {
                    String name = PoolDirectory.nameOf(file);
                    try (Pool pool = Pool.open(file)) {
                        show(name, file, pool.info(), null);
                    } catch (PoolException e) {
                        show(name, file, null, e);
                    }
                }
            }
            if (json) {
                out.line(render(root.io(), wrap("pools", pools)));
            }
            out.flush();
            return 0;
        }

        /** One pool's line and entry; an unreadable pool is listed with its error instead of failing the listing. */
        private void show(String name, Path file, PoolInfo info, PoolException error) {
            if (error == null) {
                pools.add(PoolInfoJson.of(name, info, TimeFormat.nowNanos()));
                if (!json) {
                    out.line(String.format(Locale.ROOT, "%-24s %10s %10d %12d %12d  %s", name,
                            human(info.fileSize()), info.messageCount(), info.oldestSeq(), info.newestSeq(),
                            info.messageCount() == 0 ? "-" : TimeFormat.format(info.newestTimeNanos())));
                }
                return;
            }
            ObjectNode entry = pools.addObject().put("name", name);
            if (file != null) {
                entry.put("path", file.toString());
            }
            entry.putObject("error").put("kind", error.kind().label()).put("message", error.getMessage());
            if (!json) {
                out.line(String.format(Locale.ROOT, "%-24s %s: %s", name, error.kind().label(), error.getMessage()));
            }
        }
    }

    /** {@code pool info NAME [--json]}. */
    static final class Info extends CliCommand {
        private final Rockpool root;
        private final PositionalParamSpec nameArg = PositionalParamSpec.builder().index("0").required(true).paramLabel("NAME")
                .type(PoolRef.class).converters(new PoolRef.Converter())
                .description("Pool name (or a path containing '/', or http(s)://host:port/POOL).").build();
        private final OptionSpec jsonArg = Options.json();
        private final Options.Remote remote = new Options.Remote();

        Info(Rockpool root) {
            super("info", true, "Show a pool's bounds and usage.");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(nameArg, jsonArg).add(remote.arguments());
        }

        @Override
        public Integer call() {
            PoolRef name = nameArg.getValue();
            remote.check(name.remote());
            Output out = new Output(root.io().out());
            PoolInfo info;
            if (name.remote()) {
                info = Remote.info(name, remote);
            } else {
                try (Pool pool = root.open(name)) {
                    info = pool.info();
                }
            }
            if (Options.isSet(jsonArg)) {
                out.line(render(root.io(), infoJson(name, info)));
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
        private final Options.Remote remote = new Options.Remote();

        Delete(Rockpool root) {
            super("delete", true,
                    "Delete pools. Processes that have one open keep reading their copy until they close it.");
            this.root = root;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(namesArg, jsonArg).add(remote.arguments());
        }

        @Override
        public Integer call() {
            PoolDirectory dir = root.directory();
            List<PoolRef> names = PoolRef.all(Options.values(namesArg));
            return eachName(root, names, remote, Options.isSet(jsonArg), "deleted", name -> {
                ObjectNode entry = JsonNodeFactory.instance.objectNode().put("name", name.text());
                if (name.remote()) {
                    Remote.delete(name, remote);
                    return new Done(entry, "deleted " + name);
                }
                Path file = dir.pathOf(name.text());
                dir.delete(name.text());
                entry.put("path", file.toString());
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
    private static int eachName(Rockpool root, List<PoolRef> names, Options.Remote remote, boolean json,
                                String field, Function<PoolRef, Done> action) {
        boolean anyRemote = false;
        for (PoolRef name : names) {
            anyRemote |= name.remote();
        }
        remote.check(anyRemote);
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

    /**
     * The JSON description of a pool ({@link PoolInfoJson}: plasmite's fields and ours), named as given for a local
     * pool and by its name on the server for a remote one.
     */
    static ObjectNode infoJson(PoolRef ref, PoolInfo info) {
        return PoolInfoJson.of(ref.name(), info, TimeFormat.nowNanos());
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
        String[] units = {"B", "K", "M", "G", "T"};
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
