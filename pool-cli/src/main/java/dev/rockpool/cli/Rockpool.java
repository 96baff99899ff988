package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code rockpool} command: feeds, follows, filters and replays pools by hand. Every failure ends as one error
 * on stderr and an exit code from {@link ErrorKind#exitCode()} (2 for any usage mistake picocli finds, 124 when
 * {@code follow --timeout} is reached, 10 when {@code feed --errors skip} skipped records). See {@code docs/CLI.md}.
 *
 * <p>A run makes only the command it names. Its command line is bound by {@link QuickParser} when it is a plain one,
 * else parsed by picocli (see {@link CliCommand}); either way the same argument objects are filled.
 */
public final class Rockpool extends CliCommand {
    /** The exit code when {@code follow --timeout} passes without output, as timeout(1) uses. */
    public static final int EXIT_TIMEOUT = 124;
    /** The exit code of {@code feed --errors skip} that skipped bad records (the others were appended). */
    public static final int EXIT_SKIPPED = 10;

    /** The commands, in help order; each is made by {@link #subcommand} only when it is named. */
    private static final List<String> COMMANDS =
            List.of("pool", "feed", "follow", "fetch", "doctor", "serve", "version", "completion");

    private final OptionSpec dirArg = OptionSpec.builder("--dir").paramLabel("DIR").type(String.class)
            .scopeType(ScopeType.INHERIT)
            .description("Pool directory (default: $ROCKPOOL_DIR,", "else ~/.rockpool/pools).").build();
    private final Io io;

    /** A command bound to the given streams. */
    public Rockpool(Io io) {
        super("rockpool", false, "Bounded local pools of JSON messages: feed, follow, fetch, filter and replay them.",
                "Pools of a `rockpool serve` too: name them http(s)://host:port/POOL.");
        this.io = io;
    }

    @Override
    Arguments declare() {
        return new Arguments().add(dirArg);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = super.spec();
        spec.versionProvider(new VersionCommand.Provider());
        spec.usageMessage().autoWidth(true).footer("", "Pool directory: --dir, else $ROCKPOOL_DIR, else "
                + "~/.rockpool/pools.", "Exit codes: 0 ok, 1 Internal, 2 Usage, 3 NotFound, 4 AlreadyExists, 5 Busy,",
                "6 Permission, 7 Corrupt, 8 Io, 9 RetentionGap, 10 feed --errors skip skipped",
                "records, 124 follow --timeout reached.");
        return spec;
    }

    @Override
    List<String> subcommandNames() {
        return COMMANDS;
    }

    @Override
    CliCommand subcommand(String name) {
        switch (name) {
            case "pool": return new PoolCommand(this);
            case "feed": return new FeedCommand(this);
            case "follow": return new FollowCommand(this);
            case "fetch": return new FetchCommand(this);
            case "doctor": return new DoctorCommand(this);
            // Made by the class itself: `new ServeCommand` here would have the verifier load ServeCommand to check
            // that it is a CliCommand, on every start. The server's command is loaded only when it is named.
            case "serve": return ServeCommand.of(this);
            case "version": return new VersionCommand(this);
            case "completion": return new CompletionCommand(this);
            default: return null;
        }
    }

    Io io() {
        return io;
    }

    PoolDirectory directory() {
        return PoolDirectory.resolve(dirArg.getValue());
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
        throw usageError("rockpool", "missing command");
    }

    /** Runs the tool on the process's streams and exits with its exit code. */
    public static void main(String[] args) {
        int exit = run(Io.system(), args);
        // Success returns: System.exit would also set up the JDK's logging (JDK 21 and later log exits), ~10 ms.
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** Runs one command line against {@code io}; returns the exit code (never exits the JVM). */
    public static int run(Io io, String... args) {
        Rockpool root = new Rockpool(io);
        CliCommand command = QuickParser.bind(root, args);
        if (command == null) {
            return commandLine(new Rockpool(io), commandNamed(args)).execute(args);
        }
        try {
            return command.call();
        } catch (Exception e) {
            return exitCodeOf(io, e, root::refOf);
        }
    }

    /** The command line with every command, as help and completion need it. */
    public static CommandLine commandLine(Io io) {
        return commandLine(new Rockpool(io), null);
    }

    /**
     * The configured picocli command line of {@code root}, with only the command {@code only} when it names one: usage
     * errors exit 2, engine errors exit with their kind's code.
     */
    static CommandLine commandLine(Rockpool root, String only) {
        // picocli's default factory looks for Groovy's Closure class once: a lookup that fails opens every jar of the
        // classpath, the server's too. We have no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        Io io = root.io();
        CommandLine cl = new CommandLine(withSubcommands(root, only));
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

    /** picocli's model of {@code command} and its subcommands; of the root's, only {@code only} when it names one. */
    private static CommandSpec withSubcommands(CliCommand command, String only) {
        CommandSpec spec = command.spec();
        List<String> names = command.subcommandNames();
        for (String name : names) {
            if (only == null || !names.contains(only) || only.equals(name)) {
                spec.addSubcommand(name, withSubcommands(command.subcommand(name), null));
            }
        }
        return spec;
    }

    /** The first argument that is not an option (nor the value of {@code --dir}): the command's name, or null. */
    static String commandNamed(String... args) {
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
        String command = failed.getCommandSpec().qualifiedName(" ");
        String help = helpHint(command);
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
        return usageError(command, String.valueOf(ex.getMessage()).replaceFirst("^Error: ", ""));
    }

    /** A usage mistake, found by picocli or by a command itself, with where to read the command's help. */
    static PoolException usageError(String command, String message) {
        return new PoolException(ErrorKind.USAGE, message, null, null, null, helpHint(command), null);
    }

    private static String helpHint(String command) {
        return "see: " + command + " --help";
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
