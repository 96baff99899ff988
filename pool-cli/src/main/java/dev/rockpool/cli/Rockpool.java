package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code rockpool} command: feeds, follows, filters and replays pools by hand. Every failure ends as one error
 * on stderr and an exit code from {@link ErrorKind#exitCode()} (2 for any usage mistake picocli finds, 124 when
 * {@code follow --timeout} is reached). See {@code docs/CLI.md}.
 */
@Command(name = "rockpool", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Bounded local pools of JSON messages: feed, follow, fetch, filter and replay them.",
        subcommands = {PoolCommand.class, FeedCommand.class, FollowCommand.class, FetchCommand.class,
                DoctorCommand.class, VersionCommand.class, CompletionCommand.class},
        footer = {"", "Pool directory: --dir, else $ROCKPOOL_DIR, else ~/.rockpool/pools.",
                "Exit codes: 0 ok, 1 Internal, 2 Usage, 3 NotFound, 4 AlreadyExists, 5 Busy,",
                "6 Permission, 7 Corrupt, 8 Io, 9 RetentionGap, 124 follow --timeout reached."})
public final class Rockpool implements Callable<Integer> {
    /** The exit code when {@code follow --timeout} passes without output, as timeout(1) uses. */
    public static final int EXIT_TIMEOUT = 124;

    @Option(names = "--dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Pool directory (default: $ROCKPOOL_DIR, else ~/.rockpool/pools).")
    String dir;

    @Spec
    CommandSpec spec;

    private final Io io;

    /** A command bound to the given streams. */
    public Rockpool(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    PoolDirectory directory() {
        return PoolDirectory.resolve(dir);
    }

    /**
     * Checks a pool reference before anything touches the disk. A name is validated by the engine (no {@code ..},
     * no separators); a reference containing {@code /} is a path, and the CLI also wants it to end in
     * {@code .pool}, so a mistyped {@code ../x} is refused rather than read or created outside the pool directory.
     */
    static String checkRef(String ref) {
        if (ref.indexOf('/') < 0) {
            PoolDirectory.checkName(ref);
        } else if (!ref.endsWith(PoolDirectory.SUFFIX) || ref.endsWith("/" + PoolDirectory.SUFFIX)) {
            throw new PoolException(ErrorKind.USAGE, "invalid pool name '" + ref + "': a name cannot contain '/', "
                    + "and a path to a pool file must end in " + PoolDirectory.SUFFIX, null, null, null,
                    "use a name like 'logs' (in the pool directory) or a path like ./logs.pool", null);
        }
        return ref;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    /** Runs the tool on the process's streams and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(Io.system(), args));
    }

    /** Runs one command line against {@code io}; returns the exit code (never exits the JVM). */
    public static int run(Io io, String... args) {
        return commandLine(io).execute(args);
    }

    /** The configured picocli command line: usage errors exit 2, engine errors exit with their kind's code. */
    public static CommandLine commandLine(Io io) {
        CommandLine cl = new CommandLine(new Rockpool(io));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName(" ");
            io.error(new PoolException(ErrorKind.USAGE, ex.getMessage(), null, null, null,
                    "see: " + name + " --help", null));
            return ErrorKind.USAGE.exitCode();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> exitCodeOf(io, ex));
        return cl;
    }

    /** Reports a failure and maps it to an exit code. */
    static int exitCodeOf(Io io, Exception ex) {
        if (ex instanceof Output.Closed) {
            // The reader of stdout went away (e.g. `| head -1`): nothing more to say, and nobody to say it to.
            return 0;
        }
        PoolException e;
        if (ex instanceof PoolException) {
            e = (PoolException) ex;
        } else if (ex instanceof ParameterException) {
            e = new PoolException(ErrorKind.USAGE, ex.getMessage());
        } else if (ex instanceof UncheckedIOException || ex instanceof IOException) {
            Throwable cause = ex instanceof UncheckedIOException ? ex.getCause() : ex;
            e = new PoolException(ErrorKind.IO, String.valueOf(cause), null, null, null, null, cause);
        } else {
            e = new PoolException(ErrorKind.INTERNAL, "internal error: " + ex, null, null, null,
                    "please report this with the command line that caused it", ex);
            if (System.getenv("ROCKPOOL_DEBUG") != null) {
                ex.printStackTrace();
            }
        }
        io.error(e);
        return e.kind().exitCode();
    }
}
