package dev.rockpool.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options several commands share, declared once each and mixed in with {@code @Mixin}. */
final class Options {
    private Options() {
    }

    /** {@code POOL}: the pool a command works on. */
    static final class PoolArgument {
        @Parameters(index = "0", paramLabel = "POOL", converter = PoolRef.Converter.class,
                description = "Pool name, or a path to a pool file (contains '/', ends in .pool).")
        PoolRef pool;
    }

    /** {@code --json}: machine-readable output of the management commands. */
    static final class Json {
        @Option(names = "--json", description = "Print JSON instead of text (indented on a terminal).")
        boolean json;
    }

    /** {@code --format} and {@code --data-only}: how messages are printed. */
    static final class MessageFormat {
        @Option(names = "--format", paramLabel = "pretty|jsonl",
                description = "pretty (indented) or jsonl (one per line); default: pretty on a terminal, else jsonl.")
        MessageOutput.Format format;

        @Option(names = "--data-only", description = "Print only each message's data (filters still see it all).")
        boolean dataOnly;
    }
}
