package dev.rockpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.PoolInfoJson;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;
import dev.rockpool.pool.PoolOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code rockpool pool create|list|info|delete}: manage the pool files of a directory, or the pools of a server
 * ({@code http(s)://host:port/POOL}, through {@link Remote}), printed alike.
 */
@Command(name = "pool", mixinStandardHelpOptions = true, description = "Create, list, inspect and delete pools.",
        subcommands = {PoolCommand.Create.class, PoolCommand.ListPools.class, PoolCommand.Info.class,
                PoolCommand.Delete.class})
final class PoolCommand implements Callable<Integer> {
    @ParentCommand
    Rockpool root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: create, list, info or delete");
    }

    /** {@code pool create NAME... [--size 8M] [--index-capacity N] [--json]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create pools (never overwrites: an existing pool is AlreadyExists).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        PoolCommand parent;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Pool names (or paths containing '/').")
        List<String> names;

        @Option(names = "--size", paramLabel = "SIZE", defaultValue = "64M", converter = Converters.PoolSize.class,
                description = "File size, fixed for the pool's life: 64K to 2G (default: ${DEFAULT-VALUE}).")
        long size;

        @Option(names = "--index-capacity", paramLabel = "N", converter = Converters.AtLeastOne.class,
                description = "Seq index slots, at least 1 (default: one per 128 bytes of file).")
        Long indexCapacity;

        @Mixin
        Options.Json output;

        @Mixin
        Options.Remote remote;

        @Override
        public Integer call() {
            Rockpool root = parent.root;
            PoolOptions options = new PoolOptions(size, indexCapacity == null ? 0 : indexCapacity);
            PoolDirectory dir = root.directory();
            return eachName(root, PoolRef.all(names), remote, output.json, "pools", name -> {
                PoolInfo info;
                if (name.remote()) {
                    info = Remote.create(name, remote, size, options.indexCapacity());
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
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the pools of the directory, or of a server.")
    static final class ListPools implements Callable<Integer> {
        @ParentCommand
        PoolCommand parent;

        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER",
                description = "A server, http(s)://host:port: list its pools instead.")
        String server;

        @Mixin
        Options.Json output;

        @Mixin
        Options.Remote remote;

        private Output out;
        private ArrayNode pools;

        @Override
        public Integer call() {
            Rockpool root = parent.root;
            if (server != null && !PoolRef.isUrl(server)) {
                throw new PoolException(ErrorKind.USAGE, "'" + server + "' is not a server: expected "
                        + "http(s)://host:port");
            }
            remote.check(server != null);
            out = new Output(root.io().out());
            pools = JsonNodeFactory.instance.arrayNode();
            if (!output.json) {
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
            if (output.json) {
                out.line(render(root.io(), wrap("pools", pools)));
            }
            out.flush();
            return 0;
        }

        /** One pool's line and entry; an unreadable pool is listed with its error instead of failing the listing. */
        private void show(String name, Path file, PoolInfo info, PoolException error) {
            if (error == null) {
                pools.add(PoolInfoJson.of(name, info, TimeFormat.nowNanos()));
                if (!output.json) {
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
            if (!output.json) {
                out.line(String.format(Locale.ROOT, "%-24s %s: %s", name, error.kind().label(), error.getMessage()));
            }
        }
    }

    /** {@code pool info NAME [--json]}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show a pool's bounds and usage.")
    static final class Info implements Callable<Integer> {
        @ParentCommand
        PoolCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", converter = PoolRef.Converter.class,
                description = "Pool name (or a path containing '/').")
        PoolRef name;

        @Mixin
        Options.Json output;

        @Mixin
        Options.Remote remote;

        @Override
        public Integer call() {
            Rockpool root = parent.root;
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
            if (output.json) {
                out.line(render(root.io(), infoJson(name, info)));
            } else {
                out.line("Pool: " + name);
                out.line("Path: " + info.path());
                out.line("Id: " + info.poolId() + " (format version " + info.formatVersion() + ")");
                out.line("Size: " + info.fileSize() + " bytes (" + human(info.fileSize()) + "; ring "
                        + info.ringCapacity() + " bytes, index " + info.indexCapacity() + " slots)");
                out.line("Bounds: oldest=" + info.oldestSeq() + " newest=" + info.newestSeq() + " count="
                        + info.messageCount() + " next=" + info.nextSeq());
                out.line(String.format(Locale.ROOT, "Utilization: used=%dB free=%dB (%.2f%%)",
                        info.bytesUsed(), info.bytesFree(), percent(info)));
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
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete pools. Processes that have one open keep reading their copy until they close it.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        PoolCommand parent;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Pool names (or paths containing '/').")
        List<String> names;

        @Mixin
        Options.Json output;

        @Mixin
        Options.Remote remote;

        @Override
        public Integer call() {
            Rockpool root = parent.root;
            PoolDirectory dir = root.directory();
            return eachName(root, PoolRef.all(names), remote, output.json, "deleted", name -> {
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
        remote.check(names.stream().anyMatch(PoolRef::remote));
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
        return PoolInfoJson.of(ref.remote() ? ref.name() : ref.text(), info, TimeFormat.nowNanos());
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
            return io.stdoutTerminal() ? MessageOutput.PRETTY.writeValueAsString(node)
                    : JsonData.MAPPER.writeValueAsString(node);
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
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + units[u];
    }
}
