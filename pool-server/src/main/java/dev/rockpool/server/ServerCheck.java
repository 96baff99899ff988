package dev.rockpool.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A configuration that passed every check, with what the checks loaded: the bind address, the token, the TLS
 * material, the normalised CORS origins, and warnings worth printing. Made by {@link ServerConfig#check()}.
 *
 * @param config      the configuration checked
 * @param bindAddress the resolved bind address
 * @param token       the bearer token (UTF-8), or null without authentication
 * @param tls         the TLS certificate and key, or null for plain HTTP
 * @param corsOrigins the allowed origins, normalised ({@code scheme://host[:port]}, default port left out)
 * @param warnings    things allowed but worth saying
 */
public record ServerCheck(ServerConfig config, InetAddress bindAddress, byte[] token, TlsMaterial tls,
                          List<String> corsOrigins, List<String> warnings) {
    /** Shortest token not warned about: 128 bits in hex. */
    private static final int SHORT_TOKEN = 32;

    static ServerCheck of(ServerConfig c) {
        InetAddress address = resolve(c.host());
        boolean loopback = address.isLoopbackAddress();
        List<String> warnings = new ArrayList<>();
        if (!loopback && !c.allowNonLoopback()) {
            throw usage("binding " + c.host() + " (not a loopback address) needs --allow-non-loopback",
                    "bind 127.0.0.1, or add --allow-non-loopback (then writes need --token-file and TLS)");
        }
        if ((c.tlsCert() == null) != (c.tlsKey() == null)) {
            throw usage("TLS needs both --tls-cert and --tls-key", "give both, or run `rockpool serve init`");
        }
        if (c.tlsSelfSigned() && c.tlsCert() != null) {
            throw usage("--tls-self-signed cannot be combined with --tls-cert/--tls-key", "pick one");
        }
        checkLimits(c.limits());
        checkPush(c.push());
        if (!loopback && c.access().allowsWrite()) {
            if (c.tokenFile() == null) {
                throw usage("a non-loopback server that accepts writes needs --token-file",
                        "run `rockpool serve init` and pass its token file, or serve --access read-only");
            }
            if (!c.tls() && !c.insecureNoTls()) {
                throw usage("a non-loopback server that accepts writes needs TLS",
                        "pass --tls-cert/--tls-key (from `rockpool serve init`) or --tls-self-signed; "
                                + "--insecure-no-tls sends the token in clear text");
            }
        }
        if (!loopback && !c.tls()) {
            warnings.add("serving plain HTTP on " + c.host() + ": requests and the token cross the network unencrypted");
        }
        if (loopback && c.tokenFile() == null && c.access().allowsWrite()) {
            warnings.add("no --token-file: every local user and process can write to these pools");
        }
        byte[] token = c.tokenFile() == null ? null : readToken(c.tokenFile(), warnings);
        TlsMaterial tls = c.tlsSelfSigned() ? TlsMaterial.selfSigned(c.host())
                : c.tlsCert() != null ? TlsMaterial.fromPem(c.tlsCert(), c.tlsKey()) : null;
        if (Files.exists(c.poolDir()) && !Files.isDirectory(c.poolDir())) {
            throw new PoolException(ErrorKind.USAGE, "pool directory is not a directory: " + c.poolDir(), c.poolDir());
        }
        return new ServerCheck(c, address, token, tls, normalizeOrigins(c.corsOrigins()), List.copyOf(warnings));
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw usage("cannot resolve the bind address '" + host + "'", "give an IP address such as 127.0.0.1");
        }
    }

    private static void checkLimits(ServerLimits limits) {
        if (limits.maxBodyBytes() < 1 || limits.maxBodyBytes() > Integer.MAX_VALUE - 8) {
            throw usage("max-body-bytes=" + limits.maxBodyBytes() + ": expected 1 to 2G", null);
        }
        if (limits.maxStreamDuration().isNegative() || limits.maxStreamDuration().isZero()) {
            throw usage("max-stream-duration=" + limits.maxStreamDuration() + ": must be more than 0", null);
        }
        if (limits.maxConcurrentStreams() < 1) {
            throw usage("max-streams=" + limits.maxConcurrentStreams() + ": must be at least 1", null);
        }
        if (limits.maxBufferedBytesPerClient() < 1) {
            throw usage("max-client-buffer=" + limits.maxBufferedBytesPerClient() + ": must be at least 1", null);
        }
    }

    /** Query parameters of the event streams, which the event query name must not shadow. */
    private static final Set<String> STREAM_PARAMETERS = Set.of("tag", "where", "pool", "since_seq", "tail",
            "since_time", "gap_policy", "lastEventId", "echo");

    private static void checkPush(PushSettings push) {
        String q = push.eventQuery();
        if (!q.matches("[A-Za-z0-9_.-]+") || STREAM_PARAMETERS.contains(q)) {
            throw usage("event-query=" + q + ": expected a query parameter name of letters, digits, '_', '.' or '-' "
                    + "other than " + new TreeSet<>(STREAM_PARAMETERS), null);
        }
        if (push.plasmaPool() != null) {
            PoolDirectory.checkName(push.plasmaPool());
        }
        if (push.heartbeat().compareTo(Duration.ofSeconds(1)) < 0) {
            throw usage("heartbeat=" + push.heartbeat() + ": must be at least 1 s", null);
        }
        if (push.retry().isNegative()) {
            throw usage("sse-retry=" + push.retry() + ": must not be negative", null);
        }
    }

    private static byte[] readToken(Path file, List<String> warnings) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw PoolException.io(file, "cannot read the token file", e);
        }
        if (token.isEmpty() || token.chars().anyMatch(ch -> ch <= ' ' || ch > '~')) {
            throw new PoolException(ErrorKind.USAGE, "the token file " + file + " must hold one token of printable "
                    + "ASCII without spaces", file);
        }
        if (token.length() < SHORT_TOKEN) {
            warnings.add("the token in " + file + " is short (" + token.length() + " characters): easy to guess");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                warnings.add("the token file " + file + " is readable by other users (chmod 600 it)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions to look at
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    /** Exact origins only: {@code scheme://host[:port]} with http or https; no wildcard, path, query or user. */
    static List<String> normalizeOrigins(List<String> origins) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : origins) {
            out.add(normalizeOrigin(raw));
        }
        return List.copyOf(out);
    }

    private static String normalizeOrigin(String raw) {
        String text = raw.trim();
        String hint = "give an exact origin such as https://app.example.com or http://localhost:5173";
        if (text.contains("*")) {
            throw usage("CORS origin '" + raw + "': wildcards are not allowed", hint);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw usage("CORS origin '" + raw + "' is not a URL", hint);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw usage("CORS origin '" + raw + "' must be scheme://host[:port] with http or https", hint);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static PoolException usage(String message, String hint) {
        return new PoolException(ErrorKind.USAGE, message, null, null, null, hint, null);
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** What {@code serve check --json} prints: the effective settings, never the token itself. */
    public ObjectNode toJson() {
        ServerConfig c = config;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ok", true);
        o.put("bind", hostPort(c.host(), c.port()));
        o.put("url", scheme() + "://" + hostPort(c.host(), c.port()));
        o.put("loopback", bindAddress.isLoopbackAddress());
        o.put("pool_dir", c.poolDir().toString());
        o.put("pool_dir_exists", Files.isDirectory(c.poolDir()));
        o.put("access", c.access().label());
        o.put("auth", token == null ? "none" : "bearer");
        if (c.tokenFile() != null) {
            o.put("token_file", c.tokenFile().toString());
        }
        ObjectNode tlsNode = o.putObject("tls");
        tlsNode.put("mode", tls == null ? "none" : c.tlsSelfSigned() ? "self-signed" : "pem");
        if (tls != null) {
            tlsNode.put("fingerprint", tls.fingerprint());
            tlsNode.put("not_after", TimeFormat.format(tls.leaf().getNotAfter().getTime() * 1_000_000L));
        }
        ArrayNode cors = o.putArray("cors_origins");
        corsOrigins.forEach(cors::add);
        ObjectNode limits = o.putObject("limits");
        limits.put("max_body_bytes", c.limits().maxBodyBytes());
        limits.put("max_stream_duration_ms", c.limits().maxStreamDuration().toMillis());
        limits.put("max_concurrent_streams", c.limits().maxConcurrentStreams());
        limits.put("max_client_buffer_bytes", c.limits().maxBufferedBytesPerClient());
        ObjectNode push = o.putObject("push");
        push.put("event_query", c.push().eventQuery());
        if (c.push().plasmaPool() != null) {
            push.put("plasma_pool", c.push().plasmaPool());
        }
        push.put("heartbeat_ms", c.push().heartbeat().toMillis());
        push.put("sse_retry_ms", c.push().retry().toMillis());
        ArrayNode warn = o.putArray("warnings");
        warnings.forEach(warn::add);
        return o;
    }

    /**
     * What {@code GET /v0/server} tells clients (the web UI) about this server: what it allows and how to speak to
     * it, without paths or anything secret.
     */
    public ObjectNode clientInfo() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode server = o.putObject("server");
        server.put("access", config.access().label());
        server.put("auth", token == null ? "none" : "bearer");
        server.put("tls", tls != null);
        server.put("event_query", config.push().eventQuery());
        if (config.push().plasmaPool() != null) {
            server.put("plasma_pool", config.push().plasmaPool());
        }
        server.put("sse_retry_ms", config.push().retry().toMillis());
        server.put("max_body_bytes", config.limits().maxBodyBytes());
        return o;
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
