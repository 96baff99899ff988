package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.server.AccessMode;
import dev.rockpool.server.PoolServer;
import dev.rockpool.server.PushSettings;
import dev.rockpool.server.ServeInit;
import dev.rockpool.server.ServerCheck;
import dev.rockpool.server.ServerConfig;
import dev.rockpool.server.ServerLimits;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rockpool serve}: the pools of the directory over HTTP ({@link PoolServer}: plasmite's remote protocol v0 and
 * rockpool's additions, docs/SERVER.md) until SIGTERM or Ctrl-C, which end every stream (its client resumes by seq)
 * and let requests in flight finish within {@link PoolServer#STOP_TIMEOUT}. {@code serve init} writes a token and a
 * self-signed certificate; {@code serve check} validates the options given before it without binding anything.
 * Only this command loads the server (and Jetty): it is made, by {@link #of}, only when named.
 */
final class ServeCommand extends CliCommand {
    /** plasmite's variable naming the ready file, used when {@code --ready-file} is not given. */
    static final String READY_FILE_ENV = "PLASMITE_SERVE_READY_FILE";
    private static final List<String> SUBCOMMANDS = List.of("init", "check");

    private final Rockpool root;
    private final OptionSpec bindArg = OptionSpec.builder("--bind").paramLabel("HOST:PORT").type(String.class)
            .defaultValue(ServerConfig.DEFAULT_HOST + ":" + ServerConfig.DEFAULT_PORT)
            .description("Address to listen on; port 0 takes a free one (see --ready-file) (default: "
                    + "${DEFAULT-VALUE}).").build();
    private final OptionSpec accessArg = OptionSpec.builder("--access").paramLabel("MODE").type(AccessMode.class)
            .converters(new Access()).defaultValue("read-write")
            .description("read-only, write-only or read-write (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec tokenFileArg = OptionSpec.builder("--token-file").paramLabel("FILE").type(Path.class)
            .description("Clients must send the bearer token held in FILE (Authorization: Bearer TOKEN).").build();
    private final OptionSpec tlsCertArg = OptionSpec.builder("--tls-cert").paramLabel("FILE").type(Path.class)
            .description("Serve HTTPS with this PEM certificate chain.").build();
    private final OptionSpec tlsKeyArg = OptionSpec.builder("--tls-key").paramLabel("FILE").type(Path.class)
            .description("The certificate's private key (PEM, PKCS#8).").build();
    private final OptionSpec tlsSelfSignedArg = Options.flag("--tls-self-signed", "Serve HTTPS with a certificate "
            + "made at start (for trying things out: clients need --tls-skip-verify).");
    private final OptionSpec corsOriginArg = Options.repeatable(String.class, "--cors-origin").paramLabel("ORIGIN")
            .description("Let browser pages of this exact origin (scheme://host[:port]) call the server (repeatable).")
            .build();
    private final OptionSpec allowNonLoopbackArg = Options.flag("--allow-non-loopback", "Allow an address other "
            + "than loopback (then writes need --token-file and TLS).");
    private final OptionSpec insecureNoTlsArg = Options.flag("--insecure-no-tls", "INSECURE: accept writes on a "
            + "non-loopback address without TLS; the token crosses the network in clear text.");
    private final OptionSpec maxBodyBytesArg = OptionSpec.builder("--max-body-bytes").paramLabel("SIZE")
            .type(Long.class).converters(new Converters.Size())
            .defaultValue(PoolCommand.human(ServerLimits.DEFAULTS.maxBodyBytes()))
            .description("Largest request body; larger is 413 (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec maxStreamDurationArg = OptionSpec.builder("--max-stream-duration").paramLabel("D")
            .type(Duration.class).converters(new Converters.PositiveDuration())
            .defaultValue(FollowCommand.describe(ServerLimits.DEFAULTS.maxStreamDuration()))
            .description("Longest life of one stream; clients resume after it (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec maxStreamsArg = OptionSpec.builder("--max-streams").paramLabel("N").type(Long.class)
            .converters(new Converters.AtLeastOne())
            .defaultValue(Integer.toString(ServerLimits.DEFAULTS.maxConcurrentStreams()))
            .description("Streams open at once; one more is 423 (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec maxClientBufferArg = OptionSpec.builder("--max-client-buffer").paramLabel("SIZE")
            .type(Long.class).converters(new Converters.Size())
            .defaultValue(PoolCommand.human(ServerLimits.DEFAULTS.maxBufferedBytesPerClient()))
            .description("Bytes held for one slow stream client before it is cut off with where to resume "
                    + "(default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec plasmaPoolArg = OptionSpec.builder("--plasma-pool").paramLabel("POOL").type(String.class)
            .description("Serve this pool at GET / to Plasma clients (EventSource('/?eventType=a,b')).").build();
    private final OptionSpec eventQueryArg = OptionSpec.builder("--event-query").paramLabel("NAME").type(String.class)
            .defaultValue(PushSettings.DEFAULTS.eventQuery())
            .description("The query parameter naming event types (Plasma's EventQuery) (default: ${DEFAULT-VALUE}).")
            .build();
    private final OptionSpec heartbeatArg = OptionSpec.builder("--heartbeat").paramLabel("D").type(Duration.class)
            .converters(new Converters.PositiveDuration())
            .defaultValue(FollowCommand.describe(PushSettings.DEFAULTS.heartbeat()))
            .description("How often a quiet SSE stream gets a comment and a WebSocket a ping, at least 1s (default: "
                    + "${DEFAULT-VALUE}).").build();
    private final OptionSpec sseRetryArg = OptionSpec.builder("--sse-retry").paramLabel("D").type(Duration.class)
            .converters(new Converters.AnyDuration())
            .defaultValue(FollowCommand.describe(PushSettings.DEFAULTS.retry()))
            .description("The reconnection delay SSE clients are told (retry:) (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec readyFileArg = OptionSpec.builder("--ready-file").paramLabel("FILE").type(Path.class)
            .description("Once serving, write the bound address (host:port) to FILE, for scripts that bind port 0.")
            .build();

    private ServeCommand(Rockpool root) {
        super("serve", false, "Serve the pools of the directory over HTTP (plasmite's remote protocol v0, and more: "
                + "docs/SERVER.md) until SIGTERM or Ctrl-C.", "Loopback only by default; another address needs "
                + "--allow-non-loopback, and then writes need --token-file and TLS.");
        this.root = root;
    }

    /**
     * The command, made here rather than by {@code new} in {@link Rockpool#subcommand}, which would have the verifier
     * load this class (to see that it is a {@link CliCommand}) on every start.
     */
    static CliCommand of(Rockpool root) {
        return new ServeCommand(root);
    }

    @Override
    Arguments declare() {
        return new Arguments().add(bindArg, accessArg, tokenFileArg, tlsCertArg, tlsKeyArg, tlsSelfSignedArg,
                corsOriginArg, allowNonLoopbackArg, insecureNoTlsArg, maxBodyBytesArg, maxStreamDurationArg,
                maxStreamsArg, maxClientBufferArg, plasmaPoolArg, eventQueryArg, heartbeatArg, sseRetryArg,
                readyFileArg);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = super.spec();
        spec.usageMessage().footer("", "Options go before init/check: rockpool serve --bind 0.0.0.0:9700 "
                + "--allow-non-loopback check", "Ready file: --ready-file, else $" + READY_FILE_ENV
                + " (plasmite's variable).");
        return spec;
    }

    @Override
    List<String> subcommandNames() {
        return SUBCOMMANDS;
    }

    @Override
    CliCommand subcommand(String name) {
        switch (name) {
            case "init": return new Init(this);
            case "check": return new Check(this);
            default: return null;
        }
    }

    /** The configuration the options describe. */
    ServerConfig config() {
        Path readyFile = readyFileArg.getValue();
        String env = System.getenv(READY_FILE_ENV);
        long maxStreams = maxStreamsArg.getValue();
        return ServerConfig.builder(root.directory().dir())
                .bind(bindArg.getValue())
                .access(accessArg.getValue())
                .tokenFile(tokenFileArg.getValue())
                .tlsCert(tlsCertArg.getValue())
                .tlsKey(tlsKeyArg.getValue())
                .tlsSelfSigned(Options.isSet(tlsSelfSignedArg))
                .corsOrigins(Options.values(corsOriginArg))
                .allowNonLoopback(Options.isSet(allowNonLoopbackArg))
                .insecureNoTls(Options.isSet(insecureNoTlsArg))
                .limits(new ServerLimits(maxBodyBytesArg.getValue(), maxStreamDurationArg.getValue(),
                        (int) Math.min(maxStreams, Integer.MAX_VALUE), maxClientBufferArg.getValue()))
                .push(new PushSettings(eventQueryArg.getValue(), plasmaPoolArg.getValue(), heartbeatArg.getValue(),
                        sseRetryArg.getValue()))
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

    /** {@code serve check [--json]}: the serve options before it, validated without binding. */
    static final class Check extends CliCommand {
        private final ServeCommand serve;
        private final OptionSpec jsonArg = Options.json();

        Check(ServeCommand serve) {
            super("check", true, "Validate the serve options given before 'check' and print the settings they make, "
                    + "without binding anything; exit 2 with the reason when they are wrong.",
                    "e.g. rockpool serve --bind 0.0.0.0:9700 --allow-non-loopback --access read-only check");
            this.serve = serve;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(jsonArg);
        }

        @Override
        public Integer call() {
            Io io = serve.root.io();
            ObjectNode settings = serve.config().check().toJson();
            Output out = new Output(io.out());
            if (Options.isSet(jsonArg)) {
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
            JsonNode push = s.path("push");
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
            out.line("push: event query " + push.path("event_query").asText() + ", plasma pool "
                    + push.path("plasma_pool").asText("none") + ", heartbeat "
                    + FollowCommand.describe(Duration.ofMillis(push.path("heartbeat_ms").asLong())) + ", sse retry "
                    + FollowCommand.describe(Duration.ofMillis(push.path("sse_retry_ms").asLong())));
            s.path("warnings").forEach(w -> out.line("warning: " + w.asText()));
        }
    }

    /** {@code serve init}: a token and a self-signed certificate for a secure server, files 0600. */
    static final class Init extends CliCommand {
        private final ServeCommand serve;
        private final OptionSpec outputDirArg = OptionSpec.builder("--output-dir").paramLabel("DIR").type(Path.class)
                .defaultValue(".").description("Where the files go (default: the current directory).").build();
        private final OptionSpec bindArg = OptionSpec.builder("--bind").paramLabel("HOST:PORT").type(String.class)
                .defaultValue("0.0.0.0:" + ServerConfig.DEFAULT_PORT)
                .description("Where the server will listen: named in the certificate and the printed commands "
                        + "(default: ${DEFAULT-VALUE}).").build();
        private final OptionSpec tokenFileArg = OptionSpec.builder("--token-file").paramLabel("FILE").type(Path.class)
                .defaultValue(ServeInit.TOKEN_FILE)
                .description("The token's file, in --output-dir unless absolute (default: ${DEFAULT-VALUE}).").build();
        private final OptionSpec certFileArg = OptionSpec.builder("--tls-cert").paramLabel("FILE").type(Path.class)
                .defaultValue(ServeInit.CERT_FILE).description("The certificate's file (default: ${DEFAULT-VALUE}).")
                .build();
        private final OptionSpec keyFileArg = OptionSpec.builder("--tls-key").paramLabel("FILE").type(Path.class)
                .defaultValue(ServeInit.KEY_FILE).description("The private key's file (default: ${DEFAULT-VALUE}).")
                .build();
        private final OptionSpec forceArg = Options.flag("--force", "Replace files that exist.");
        private final OptionSpec jsonArg = Options.json();

        Init(ServeCommand serve) {
            super("init", false, "Write a random bearer token, a self-signed TLS certificate and its key (each "
                    + "readable by you only), and print how to serve and connect with them. Never prints the token.",
                    "Refuses to overwrite any of the files (AlreadyExists, exit 4) unless --force.");
            this.serve = serve;
        }

        @Override
        Arguments declare() {
            return new Arguments().add(outputDirArg, bindArg, tokenFileArg, certFileArg, keyFileArg, forceArg,
                    jsonArg);
        }

        @Override
        public Integer call() {
            Io io = serve.root.io();
            Path outputDir = outputDirArg.getValue();
            ServerConfig where = ServerConfig.builder(outputDir).bind(bindArg.getValue()).build();
            ServeInit.Result r = ServeInit.init(new ServeInit.Options(outputDir.resolve((Path) tokenFileArg.getValue()),
                    outputDir.resolve((Path) certFileArg.getValue()), outputDir.resolve((Path) keyFileArg.getValue()),
                    where.host(), where.port(), Options.isSet(forceArg)));
            Output out = new Output(io.out());
            if (Options.isSet(jsonArg)) {
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
