package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.server.AccessMode;
import dev.rockpool.server.PoolServer;
import dev.rockpool.server.ServeInit;
import dev.rockpool.server.ServerCheck;
import dev.rockpool.server.ServerConfig;
import dev.rockpool.server.ServerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rockpool serve}: the pools of the directory over HTTP ({@link PoolServer}: plasmite's remote protocol v0 and
 * rockpool's additions, docs/SERVER.md) until SIGTERM or Ctrl-C, which end every stream (its client resumes by seq)
 * and let requests in flight finish within {@link PoolServer#STOP_TIMEOUT}. {@code serve init} writes a token and a
 * self-signed certificate; {@code serve check} validates the options given before it without binding anything.
 * Only this command loads the server (and Jetty): it is built only when named.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ServeCommand.Init.class, ServeCommand.Check.class},
        defaultValueProvider = ServeCommand.Limits.class,
        description = {"Serve the pools of the directory over HTTP (plasmite's remote protocol v0, and more: "
                + "docs/SERVER.md) until SIGTERM or Ctrl-C.",
                "Loopback only by default; another address needs --allow-non-loopback, and then writes need "
                        + "--token-file and TLS."},
        footer = {"", "Options go before init/check: rockpool serve --bind 0.0.0.0:9700 --allow-non-loopback check",
                "Ready file: --ready-file, else $" + ServeCommand.READY_FILE_ENV + " (plasmite's variable)."})
final class ServeCommand implements Callable<Integer> {
    /** plasmite's variable naming the ready file, used when {@code --ready-file} is not given. */
    static final String READY_FILE_ENV = "PLASMITE_SERVE_READY_FILE";

    @ParentCommand
    Rockpool root;

    @Option(names = "--bind", paramLabel = "HOST:PORT",
            defaultValue = ServerConfig.DEFAULT_HOST + ":" + ServerConfig.DEFAULT_PORT,
            description = "Address to listen on; port 0 takes a free one (see --ready-file) "
                    + "(default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--access", paramLabel = "MODE", defaultValue = "read-write", converter = Access.class,
            description = "read-only, write-only or read-write (default: ${DEFAULT-VALUE}).")
    AccessMode access;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Clients must send the bearer token held in FILE (Authorization: Bearer TOKEN).")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-self-signed", description = "Serve HTTPS with a certificate made at start (for trying "
            + "things out: clients need --tls-skip-verify).")
    boolean tlsSelfSigned;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "Let browser pages of this exact origin (scheme://host[:port]) call the server "
                    + "(repeatable).")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--allow-non-loopback", description = "Allow an address other than loopback (then writes need "
            + "--token-file and TLS).")
    boolean allowNonLoopback;

    @Option(names = "--insecure-no-tls", description = "INSECURE: accept writes on a non-loopback address without "
            + "TLS; the token crosses the network in clear text.")
    boolean insecureNoTls;

    @Option(names = "--max-body-bytes", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Largest request body; larger is 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-stream-duration", paramLabel = "D", converter = Converters.PositiveDuration.class,
            description = "Longest life of one stream; clients resume after it (default: ${DEFAULT-VALUE}).")
    Duration maxStreamDuration;

    @Option(names = "--max-streams", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "Streams open at once; one more is 423 (default: ${DEFAULT-VALUE}).")
    long maxStreams;

    @Option(names = "--max-client-buffer", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Bytes held for one slow stream client before it is cut off with where to resume "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxClientBuffer;

    @Option(names = "--ready-file", paramLabel = "FILE", description = "Once serving, write the bound address "
            + "(host:port) to FILE, for scripts that bind port 0.")
    Path readyFile;

    /** The configuration the options describe. */
    ServerConfig config() {
        String env = System.getenv(READY_FILE_ENV);
        return ServerConfig.builder(root.directory().dir())
                .bind(bind)
                .access(access)
                .tokenFile(tokenFile)
                .tlsCert(tlsCert)
                .tlsKey(tlsKey)
                .tlsSelfSigned(tlsSelfSigned)
                .corsOrigins(corsOrigins)
                .allowNonLoopback(allowNonLoopback)
                .insecureNoTls(insecureNoTls)
                .limits(new ServerLimits(maxBodyBytes, maxStreamDuration, (int) Math.min(maxStreams,
                        Integer.MAX_VALUE), maxClientBuffer))
                .readyFile(readyFile != null ? readyFile : env != null && !env.isEmpty() ? Path.of(env) : null)
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        Io io = root.io();
        ServerCheck check = config().check();
        check.warnings().forEach(w -> io.notice("warning", "serve", null, w, Map.of()));
        PoolServer server = new PoolServer(check);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            io.notice("stopping", "serve", null, "stopping: streams end (their clients resume by seq), requests "
                    + "in flight finish, within " + FollowCommand.describe(PoolServer.STOP_TIMEOUT), Map.of());
            server.stop(PoolServer.STOP_TIMEOUT);
        }, "rockpool-serve-stop"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", server.url());
        details.put("pool_dir", check.config().poolDir().toString());
        details.put("access", check.config().access().label());
        details.put("auth", check.token() == null ? "none" : "bearer");
        io.notice("serving", "serve", null, "serving " + check.config().poolDir() + " at " + server.url() + " ("
                + check.config().access().label() + (check.token() == null ? ", no token" : ", token required")
                + "); stop with Ctrl-C or SIGTERM", details);
        server.join();
        return 0;
    }

    /** {@code --access}: the server's own names. */
    static final class Access implements ITypeConverter<AccessMode> {
        @Override
        public AccessMode convert(String text) {
            return AccessMode.parse(text);
        }
    }

    /** The limits' defaults, the server's own ({@link ServerLimits#DEFAULTS}), shown by {@code --help}. */
    static final class Limits implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec)) {
                return null;
            }
            ServerLimits d = ServerLimits.DEFAULTS;
            switch (((OptionSpec) arg).longestName()) {
                case "--max-body-bytes":
                    return PoolCommand.human(d.maxBodyBytes());
                case "--max-stream-duration":
                    return FollowCommand.describe(d.maxStreamDuration());
                case "--max-streams":
                    return Integer.toString(d.maxConcurrentStreams());
                case "--max-client-buffer":
                    return PoolCommand.human(d.maxBufferedBytesPerClient());
                default:
                    return null;
            }
        }
    }

    /** {@code serve check [--json]}: the serve options before it, validated without binding. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate the serve options given before 'check' and print the settings they make, "
                    + "without binding anything; exit 2 with the reason when they are wrong.",
                    "e.g. rockpool serve --bind 0.0.0.0:9700 --allow-non-loopback --access read-only check"})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        ServeCommand serve;

        @Mixin
        Options.Json output;

        @Override
        public Integer call() {
            Io io = serve.root.io();
            ObjectNode settings = serve.config().check().toJson();
            Output out = new Output(io.out());
            if (output.json) {
                out.line(PoolCommand.render(io, settings));
            } else {
                text(out, settings);
            }
            out.flush();
            return 0;
        }

        private static void text(Output out, JsonNode s) {
            JsonNode tls = s.path("tls");
            JsonNode limits = s.path("limits");
            out.line("ok: would serve " + s.path("pool_dir").asText() + " at " + s.path("url").asText()
                    + (s.path("loopback").asBoolean() ? " (loopback only)" : ""));
            out.line("access: " + s.path("access").asText());
            out.line("auth: " + (s.has("token_file") ? "bearer token from " + s.path("token_file").asText() : "none"));
            out.line("tls: " + tls.path("mode").asText() + (tls.has("fingerprint") ? " (fingerprint "
                    + tls.path("fingerprint").asText() + ", valid until " + tls.path("not_after").asText() + ")" : ""));
            List<String> origins = new ArrayList<>();
            s.path("cors_origins").forEach(o -> origins.add(o.asText()));
            out.line("cors origins: " + (origins.isEmpty() ? "none" : String.join(" ", origins)));
            out.line("limits: body " + PoolCommand.human(limits.path("max_body_bytes").asLong()) + ", stream "
                    + FollowCommand.describe(Duration.ofMillis(limits.path("max_stream_duration_ms").asLong())) + ", "
                    + limits.path("max_concurrent_streams").asLong() + " streams, "
                    + PoolCommand.human(limits.path("max_client_buffer_bytes").asLong()) + " buffered per client");
            s.path("warnings").forEach(w -> out.line("warning: " + w.asText()));
        }
    }

    /** {@code serve init}: a token and a self-signed certificate for a secure server, files 0600. */
    @Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write a random bearer token, a self-signed TLS certificate and its key (each readable by "
                    + "you only), and print how to serve and connect with them. Never prints the token.",
                    "Refuses to overwrite any of the files (AlreadyExists, exit 4) unless --force."})
    static final class Init implements Callable<Integer> {
        @ParentCommand
        ServeCommand serve;

        @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = ".",
                description = "Where the files go (default: the current directory).")
        Path outputDir;

        @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:" + ServerConfig.DEFAULT_PORT,
                description = "Where the server will listen: named in the certificate and the printed commands "
                        + "(default: ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--token-file", paramLabel = "FILE", defaultValue = ServeInit.TOKEN_FILE,
                description = "The token's file, in --output-dir unless absolute (default: ${DEFAULT-VALUE}).")
        Path tokenFile;

        @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = ServeInit.CERT_FILE,
                description = "The certificate's file (default: ${DEFAULT-VALUE}).")
        Path certFile;

        @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = ServeInit.KEY_FILE,
                description = "The private key's file (default: ${DEFAULT-VALUE}).")
        Path keyFile;

        @Option(names = "--force", description = "Replace files that exist.")
        boolean force;

        @Mixin
        Options.Json output;

        @Override
        public Integer call() {
            Io io = serve.root.io();
            ServerConfig where = ServerConfig.builder(outputDir).bind(bind).build();
            ServeInit.Result r = ServeInit.init(new ServeInit.Options(outputDir.resolve(tokenFile),
                    outputDir.resolve(certFile), outputDir.resolve(keyFile), where.host(), where.port(), force));
            Output out = new Output(io.out());
            if (output.json) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("token_file", r.tokenFile().toString());
                o.put("tls_cert", r.certFile().toString());
                o.put("tls_key", r.keyFile().toString());
                o.put("fingerprint", r.fingerprint());
                o.put("server_command", r.serverCommand());
                r.clientCommands().forEach(o.putArray("client_commands")::add);
                out.line(PoolCommand.render(io, o));
            } else {
                out.line("wrote (mode 0600): " + r.tokenFile() + " (the bearer token: keep it secret), "
                        + r.certFile() + ", " + r.keyFile());
                out.line("certificate fingerprint: " + r.fingerprint());
                out.line("serve with:");
                out.line("  " + r.serverCommand());
                out.line("connect with:");
                r.clientCommands().forEach(c -> out.line("  " + c));
            }
            out.flush();
            return 0;
        }
    }
}
