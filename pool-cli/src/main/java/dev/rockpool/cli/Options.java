package dev.rockpool.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;

/** The arguments several commands share, declared once each, and how a command reads the values of its arguments. */
final class Options {
    private Options() {
    }

    /** {@code POOL}: the pool a command works on, its first positional parameter. */
    static PositionalParamSpec pool() {
        return PositionalParamSpec.builder().index("0").required(true).paramLabel("POOL").type(PoolRef.class)
                .converters(new PoolRef.Converter())
                .description("Pool name, or a path to a pool file (contains '/', ends in .pool).").build();
    }

    /** {@code --json}: machine-readable output of the management commands. */
    static OptionSpec json() {
        return flag("--json", "Print JSON instead of text (indented on a terminal).");
    }

    /** An option that takes no value: set, or not. */
    static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).description(description).build();
    }

    /** An option that may be given several times, each time with one value of {@code type}. */
    static OptionSpec.Builder repeatable(Class<?> type, String... names) {
        return OptionSpec.builder(names).type(List.class).auxiliaryTypes(type);
    }

    /** True if the flag was given. */
    static boolean isSet(OptionSpec flag) {
        return Boolean.TRUE.equals(flag.getValue());
    }

    /** The values of a repeatable argument, empty when it was not given. */
    static <T> List<T> values(ArgSpec repeatable) {
        List<T> values = repeatable.getValue();
        return values == null ? List.of() : values;
    }

    /** {@code --format} and {@code --data-only}: how messages are printed. */
    static final class MessageFormat {
        private final OptionSpec format = OptionSpec.builder("--format").paramLabel("pretty|jsonl")
                .type(MessageOutput.Format.class)
                .description("pretty (indented) or jsonl (one per line); default: pretty on a terminal, else jsonl.")
                .build();
        private final OptionSpec dataOnly = flag("--data-only",
                "Print only each message's data (filters still see it all).");

        Arguments arguments() {
            return new Arguments().add(format, dataOnly);
        }

        /** The format asked for, or null for the default. */
        MessageOutput.Format format() {
            return format.getValue();
        }

        boolean dataOnly() {
            return isSet(dataOnly);
        }
    }
}
