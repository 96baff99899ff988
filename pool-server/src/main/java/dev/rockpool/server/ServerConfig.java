package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code rockpool serve} is told, immutable. {@link #check()} validates it without binding anything and
 * enforces the security rules; {@link PoolServer} serves a checked configuration.
 *
 * @param host             the address to bind (default 127.0.0.1)
 * @param port             the port to bind; 0 picks a free one (see {@link #readyFile})
 * @param poolDir          the directory of the pools served
 * @param tokenFile        a file holding the bearer token clients must send, or null for no authentication
 * @param tlsCert          a PEM certificate chain (with {@code tlsKey}), or null
 * @param tlsKey           a PEM PKCS#8 private key (with {@code tlsCert}), or null
 * @param tlsSelfSigned    serve TLS with a certificate made at start (not with {@code tlsCert}/{@code tlsKey})
 * @param access           what clients may do
 * @param corsOrigins      the exact browser origins ({@code scheme://host[:port]}) allowed cross-origin
 * @param limits           what one client may take
 * @param allowNonLoopback bind an address other than loopback (then writes need a token and TLS)
 * @param insecureNoTls    let a non-loopback server accept writes without TLS: the token crosses the network in
 *                         clear text, so only for a network you trust entirely
 * @param readyFile        where to write the bound address ({@code host:port}) once serving, or null
 * @param push             Server-Sent Events, WebSocket and Plasma settings
 */
public record ServerConfig(String host, int port, Path poolDir, Path tokenFile, Path tlsCert, Path tlsKey,
                           boolean tlsSelfSigned, AccessMode access, List<String> corsOrigins, ServerLimits limits,
                           boolean allowNonLoopback, boolean insecureNoTls, Path readyFile, PushSettings push) {
    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port, plasmite's. */
    public static final int DEFAULT_PORT = 9700;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(poolDir, "poolDir");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(push, "push");
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** A builder with the defaults: 127.0.0.1:9700, read-write, no token, no TLS, default limits. */
    public static Builder builder(Path poolDir) {
        return new Builder(poolDir);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(poolDir);
        b.host = host;
        b.port = port;
        b.tokenFile = tokenFile;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.tlsSelfSigned = tlsSelfSigned;
        b.access = access;
        b.corsOrigins = new ArrayList<>(corsOrigins);
        b.limits = limits;
        b.allowNonLoopback = allowNonLoopback;
        b.insecureNoTls = insecureNoTls;
        b.readyFile = readyFile;
        b.push = push;
        return b;
    }

    /**
     * Validates the configuration without binding: reads the token and the TLS files (or makes the self-signed
     * certificate), normalises the CORS origins and applies the security rules. A Usage error says what is wrong.
     */
    public ServerCheck check() {
        return ServerCheck.of(this);
    }

    /** Whether TLS is asked for, by files or self-signed. */
    public boolean tls() {
        return tlsSelfSigned || tlsCert != null || tlsKey != null;
    }

    /** Builds a {@link ServerConfig}. */
    public static final class Builder {
        private final Path poolDir;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path tokenFile;
        private Path tlsCert;
        private Path tlsKey;
        private boolean tlsSelfSigned;
        private AccessMode access = AccessMode.READ_WRITE;
        private List<String> corsOrigins = new ArrayList<>();
        private ServerLimits limits = ServerLimits.DEFAULTS;
        private boolean allowNonLoopback;
        private boolean insecureNoTls;
        private Path readyFile;
        private PushSettings push = PushSettings.DEFAULTS;

        private Builder(Path poolDir) {
            this.poolDir = poolDir;
        }

        /** Parses {@code HOST:PORT}, {@code [V6]:PORT}, {@code :PORT} or {@code HOST} (port 9700). */
        public Builder bind(String hostAndPort) {
            String text = hostAndPort.trim();
            int colon = text.lastIndexOf(':');
            boolean bracketed = text.startsWith("[");
            if (colon < 0 || bracketed && colon < text.indexOf(']') || !bracketed && text.indexOf(':') != colon) {
                return host(text.isEmpty() ? DEFAULT_HOST : unbracket(text));
            }
            String h = text.substring(0, colon);
            try {
                return host(h.isEmpty() ? DEFAULT_HOST : unbracket(h)).port(Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new PoolException(ErrorKind.USAGE, "bind=" + hostAndPort + ": expected HOST:PORT");
            }
        }

        private static String unbracket(String h) {
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new PoolException(ErrorKind.USAGE, "port=" + value + ": expected 0 to 65535");
            }
            port = value;
            return this;
        }

        public Builder tokenFile(Path value) {
            tokenFile = value;
            return this;
        }

        public Builder tlsCert(Path value) {
            tlsCert = value;
            return this;
        }

        public Builder tlsKey(Path value) {
            tlsKey = value;
            return this;
        }

        public Builder tlsSelfSigned(boolean value) {
            tlsSelfSigned = value;
            return this;
        }

        public Builder access(AccessMode value) {
            access = value;
            return this;
        }

        public Builder corsOrigin(String origin) {
            corsOrigins.add(origin);
            return this;
        }

        public Builder corsOrigins(List<String> origins) {
            corsOrigins = new ArrayList<>(origins);
            return this;
        }

        public Builder limits(ServerLimits value) {
            limits = value;
            return this;
        }

        public Builder allowNonLoopback(boolean value) {
            allowNonLoopback = value;
            return this;
        }

        public Builder insecureNoTls(boolean value) {
            insecureNoTls = value;
            return this;
        }

        public Builder readyFile(Path value) {
            readyFile = value;
            return this;
        }

        public Builder push(PushSettings value) {
            push = value;
            return this;
        }

        /** Serves this pool at {@code GET /} to Plasma clients ({@code EventSource('/?eventType=a,b')}). */
        public Builder plasmaPool(String pool) {
            push = push.withPlasmaPool(pool);
            return this;
        }

        /** The query parameter naming event types (Plasma's {@code EventQuery}). */
        public Builder eventQuery(String name) {
            push = push.withEventQuery(name);
            return this;
        }

        public Builder heartbeat(Duration value) {
            push = push.withHeartbeat(value);
            return this;
        }

        public Builder sseRetry(Duration value) {
            push = push.withRetry(value);
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, poolDir, tokenFile, tlsCert, tlsKey, tlsSelfSigned, access,
                    corsOrigins, limits, allowNonLoopback, insecureNoTls, readyFile, push);
        }
    }
}
