package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code rockpool} command: feeds, follows, filters and replays pools by hand. Every failure ends as one error
 * on stderr and an exit code from {@link ErrorKind#exitCode()} (2 for any usage mistake picocli finds, 124 when
 * {@code follow --timeout} is reached, 10 when {@code feed --errors skip} skipped records). See {@code docs/CLI.md}.
 */
@Command(name = "rockpool", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Bounded local pools of JSON messages: feed, follow, fetch, filter and replay them.",
                "Pools of a `rockpool serve` too: name them http(s)://host:port/POOL."},
        footer = {"", "Pool directory: --dir, else $ROCKPOOL_DIR, else ~/.rockpool/pools.",
                "Exit codes: 0 ok, 1 Internal, 2 Usage, 3 NotFound, 4 AlreadyExists, 5 Busy,",
                "6 Permission, 7 Corrupt, 8 Io, 9 RetentionGap, 10 feed --errors skip skipped",
                "records, 124 follow --timeout reached."})
public final class Rockpool implements Callable<Integer> {
    /** The exit code when {@code follow --timeout} passes without output, as timeout(1) uses. */
    public static final int EXIT_TIMEOUT = 124;
    /** The exit code of {@code feed --errors skip} that skipped bad records (the others were appended). */
    public static final int EXIT_SKIPPED = 10;

    /**
     * The commands, built only when used: a command line naming one builds that one alone, so picocli reflects over
     * one command's annotations instead of all of them before the work starts.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("pool", PoolCommand::new);
        COMMANDS.put("feed", FeedCommand::new);
        COMMANDS.put("follow", FollowCommand::new);
        COMMANDS.put("fetch", FetchCommand::new);
        COMMANDS.put("doctor", DoctorCommand::new);
        // A lambda, not a constructor reference (which loads its class when this map is made): the server's command
        // is loaded only when it is named.
        COMMANDS.put("serve", () -> new ServeCommand());
        COMMANDS.put("version", VersionCommand::new);
        COMMANDS.put("completion", CompletionCommand::new);
    }

    @Option(names = "--dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = {"Pool directory (default: $ROCKPOOL_DIR,", "else ~/.rockpool/pools)."})
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

    /** Opens an existing pool; a missing one is NotFound with how to create it. */
    Pool open(PoolRef ref) {
        try {
            return directory().open(ref.text());
        } catch (PoolException e) {
            throw Hints.forPool(e, ref);
        }
    }

    /** How to name a pool file on a command line: its name when it is in the pool directory, else its path. */
    String refOf(Path file) {
        PoolDirectory d = directory();
        return d.dir().equals(file.getParent()) ? PoolDirectory.nameOf(file) : file.toString();
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
        return commandLine(io, commandNamed(args)).execute(args);
    }

    /** The command line with every command, as help and completion need it. */
    public static CommandLine commandLine(Io io) {
        return commandLine(io, null);
    }

    /**
     * The configured picocli command line, with only the command {@code only} when it names one: usage errors exit
     * 2, engine errors exit with their kind's code.
     */
    private static CommandLine commandLine(Io io, String only) {
        // picocli's default factory looks for Groovy's Closure class once: a lookup that fails opens every jar of the
        // classpath, the server's too, on every start. We have no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        Rockpool root = new Rockpool(io);
        CommandLine cl = new CommandLine(root);
        COMMANDS.forEach((name, command) -> {
            if (only == null || !COMMANDS.containsKey(only) || only.equals(name)) {
                cl.addSubcommand(name, command.get());
            }
        });
        cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(Rockpool::execute);
        cl.setParameterExceptionHandler((ex, args) -> {
            io.error(usage(ex));
            return ErrorKind.USAGE.exitCode();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> exitCodeOf(io, ex, root::refOf));
        return cl;
    }

    /** The first argument that is not an option (nor the value of {@code --dir}): the command's name, or null. */
    private static String commandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    /**
     * Runs the command picocli parsed. Help would otherwise win over arguments picocli could not match:
     * {@code rockpool serv --help} must say that there is no command {@code serv}, not print the top-level help.
     */
    private static int execute(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** A usage mistake picocli found, as a Usage error naming the option or the unknown command. */
    static PoolException usage(ParameterException ex) {
        CommandLine failed = ex.getCommandLine();
        String help = "see: " + failed.getCommandSpec().qualifiedName(" ") + " --help";
        if (ex.getCause() instanceof PoolException && ex.getArgSpec() != null) {
            PoolException cause = (PoolException) ex.getCause();
            return new PoolException(ErrorKind.USAGE, "invalid value for " + label(ex.getArgSpec()) + ": "
                    + cause.getMessage(), cause.path(), null, null, cause.hint() != null ? cause.hint() : help, null);
        }
        if (ex instanceof UnmatchedArgumentException && !failed.getSubcommands().isEmpty()) {
            UnmatchedArgumentException unmatched = (UnmatchedArgumentException) ex;
            String first = unmatched.getUnmatched().get(0);
            if (!first.startsWith("-")) {
                String suggestion = unmatched.getSuggestions().isEmpty() ? ""
                        : "did you mean " + String.join(" or ", unmatched.getSuggestions()) + "? ";
                return new PoolException(ErrorKind.USAGE, "unknown command '" + first + "'", null, null, null,
                        suggestion + help, null);
            }
        }
        // picocli starts some of its messages with "Error: "; ours are all errors already.
        String message = String.valueOf(ex.getMessage()).replaceFirst("^Error: ", "");
        return new PoolException(ErrorKind.USAGE, message, null, null, null, help, null);
    }

    private static String label(ArgSpec arg) {
        return arg instanceof OptionSpec ? ((OptionSpec) arg).longestName()
                : ((PositionalParamSpec) arg).paramLabel();
    }

    /** Reports a failure with the error's own hint, and maps it to an exit code. */
    static int exitCodeOf(Io io, Exception ex) {
        return exitCodeOf(io, ex, Path::toString);
    }

    /** Reports a failure, with the CLI's hint for it, and maps it to an exit code. */
    static int exitCodeOf(Io io, Exception ex, Function<Path, String> refOf) {
        if (ex instanceof Output.Closed) {
            // The reader of stdout went away (e.g. `| head -1`): nothing more to say, and nobody to say it to.
            return 0;
        }
        PoolException e;
        if (ex instanceof PoolException) {
            e = (PoolException) ex;
        } else if (ex instanceof ParameterException) {
            e = usage((ParameterException) ex);
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
        io.error(e, Hints.of(e, refOf));
        return e.kind().exitCode();
    }
}
