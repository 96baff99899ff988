package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The options several commands share, declared once each and mixed in with {@code @Mixin}. */
final class Options {
    private Options() {
    }

    /** {@code POOL}: the pool a command works on. */
    static final class PoolArgument {
        @Parameters(index = "0", paramLabel = "POOL", converter = PoolRef.Converter.class,
                description = "Pool name, a path to a pool file (contains '/', ends in .pool), or a remote pool: "
                        + "http(s)://host:port/POOL.")
        PoolRef pool;
    }

    /** How to reach remote pools: {@code --token-file}, {@code --tls-ca}, {@code --tls-skip-verify}. */
    static final class Remote {
        @Option(names = "--token-file", paramLabel = "FILE",
                description = "Remote pools: send the bearer token held in FILE.")
        Path tokenFile;

        @Option(names = "--tls-ca", paramLabel = "FILE", description = "Remote pools: trust the certificates of this "
                + "PEM file (the server's own, e.g. serve init's rockpool-tls-cert.pem, or a private CA).")
        Path tlsCa;

        @Option(names = "--tls-skip-verify", description = "Remote pools: accept any certificate and host name "
                + "(unsafe: the connection can be intercepted; for trying things out).")
        boolean tlsSkipVerify;

        /** A Usage error when these options are given for local pools only, or contradict each other. */
        void check(boolean remote) {
            boolean given = tokenFile != null || tlsCa != null || tlsSkipVerify;
            if (given && !remote) {
                throw new PoolException(ErrorKind.USAGE, "--token-file, --tls-ca and --tls-skip-verify are for remote"
                        + " pools only", null, null, null, "name the pool as http(s)://host:port/POOL", null);
            }
            if (tlsCa != null && tlsSkipVerify) {
                throw new PoolException(ErrorKind.USAGE, "--tls-ca and --tls-skip-verify exclude each other");
            }
        }
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
