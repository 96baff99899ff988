package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.util.List;

/** The arguments several commands share, declared once each, and how a command reads the values of its arguments. */
final class Options {
    private Options() {
    }

    /** {@code POOL}: the pool a command works on, its first positional parameter. */
    static PositionalParamSpec pool() {
        return PositionalParamSpec.builder().index("0").required(true).paramLabel("POOL").type(PoolRef.class)
                .converters(new PoolRef.Converter()).description("Pool name, a path to a pool file (contains '/', "
                        + "ends in .pool), or a remote pool: http(s)://host:port/POOL.").build();
    }

    /** How to reach remote pools: {@code --token-file}, {@code --tls-ca}, {@code --tls-skip-verify}. */
    static final class Remote {
        private final OptionSpec tokenFile = OptionSpec.builder("--token-file").paramLabel("FILE").type(Path.class)
                .description("Remote pools: send the bearer token held in FILE.").build();
        private final OptionSpec tlsCa = OptionSpec.builder("--tls-ca").paramLabel("FILE").type(Path.class)
                .description("Remote pools: trust the certificates of this PEM file (the server's own, e.g. serve "
                        + "init's rockpool-tls-cert.pem, or a private CA).").build();
        private final OptionSpec tlsSkipVerify = flag("--tls-skip-verify", "Remote pools: accept any certificate and "
                + "host name (unsafe: the connection can be intercepted; for trying things out).");

        Arguments arguments() {
            return new Arguments().add(tokenFile, tlsCa, tlsSkipVerify);
        }

        /** The token's file, or null. */
        Path tokenFile() {
            return tokenFile.getValue();
        }

        /** The PEM file of the certificates to trust, or null for the JDK's. */
        Path tlsCa() {
            return tlsCa.getValue();
        }

        boolean tlsSkipVerify() {
            return isSet(tlsSkipVerify);
        }

        /** A Usage error when these options are given for local pools only, or contradict each other. */
        void check(boolean remote) {
            boolean given = tokenFile() != null || tlsCa() != null || tlsSkipVerify();
            if (given && !remote) {
                throw new PoolException(ErrorKind.USAGE, "--token-file, --tls-ca and --tls-skip-verify are for remote"
                        + " pools only", null, null, null, "name the pool as http(s)://host:port/POOL", null);
            }
            if (tlsCa() != null && tlsSkipVerify()) {
                throw new PoolException(ErrorKind.USAGE, "--tls-ca and --tls-skip-verify exclude each other");
            }
        }
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
