package dev.rockpool.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.Envelope;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.filter.PoolInfoJson;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A client for the pools of a {@code rockpool serve} (plasmite's remote protocol v0 and rockpool's additions), on the
 * JDK's HTTP client. Thread-safe. Failures are {@link PoolException}s with the kind the server sent; a server that
 * cannot be reached is Io with a plain message.
 *
 * <pre>{@code
 * RemoteClient client = RemoteClient.builder("https://host:9700").tokenFile(token).tlsCa(cert).build();
 * Message m = client.append("events", JsonData.parse("{\"ok\":true}"), List.of("deploy"), Durability.FAST);
 * try (RemoteTail tail = client.tail("events", TailOptions.builder().fromNow().build())) {
 *     for (Message next = tail.next(); next != null; next = tail.next()) { ... }
 * }
 * }</pre>
 */
public final class RemoteClient {
    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration maxStream;

    private RemoteClient(Builder b) {
        this.base = b.base;
        this.authorization = b.token == null ? null : "Bearer " + b.token;
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).sslContext(b.tls.context()).build();
        this.requestTimeout = b.requestTimeout;
        this.maxStream = b.maxStream;
    }

    /** A builder for a server at {@code http(s)://host:port} (a path, query or fragment is a Usage error). */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /** The server's base URL, {@code http(s)://host:port}. */
    public URI baseUrl() {
        return base;
    }

    /** Creates a pool ({@code sizeBytes} 0: the server's default size); AlreadyExists if there is one. */
    public PoolInfo create(String pool, long sizeBytes) {
        return create(pool, sizeBytes, 0);
    }

    /** Creates a pool with {@code indexCapacity} seq index slots (0: the server's default for the size). */
    public PoolInfo create(String pool, long sizeBytes, long indexCapacity) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("pool", checkName(pool));
        if (sizeBytes > 0) {
            body.put("size_bytes", sizeBytes);
        }
        if (indexCapacity > 0) {
            body.put("index_capacity", indexCapacity);
        }
        return PoolInfoJson.parse(json("POST", "/v0/pools", body).get("pool"));
    }

    /** The info of an existing pool; NotFound if there is none. */
    public PoolInfo open(String pool) {
        return PoolInfoJson.parse(json("POST", "/v0/pools/open", JsonNodeFactory.instance.objectNode()
                .put("pool", checkName(pool))).get("pool"));
    }

    /** The info of a pool. */
    public PoolInfo info(String pool) {
        return PoolInfoJson.parse(json("GET", poolPath(pool, "/info"), null).get("pool"));
    }

    /** Every pool on the server, with the reason for those it cannot read. */
    public List<PoolEntry> list() {
        List<PoolEntry> out = new ArrayList<>();
        for (JsonNode p : json("GET", "/v0/pools", null).path("pools")) {
            PoolException error = p.has("error") ? ErrorJson.parse(p) : null;
            out.add(new PoolEntry(p.path("name").asText(), error == null ? PoolInfoJson.parse(p) : null, error));
        }
        return out;
    }

    /** Deletes a pool; NotFound if there is none. */
    public void delete(String pool) {
        json("DELETE", poolPath(pool, ""), null);
    }

    /** Appends one message; returns it as stored (seq, time, tags, data). */
    public Message append(String pool, JsonData data, List<String> tags, Durability durability) {
        StringBuilder body = new StringBuilder("{\"data\":").append(data).append(",\"tags\":");
        body.append(JsonNodeFactory.instance.arrayNode().addAll(tags.stream()
                .map(JsonNodeFactory.instance::textNode).toList())).append(",\"durability\":\"")
                .append(durability.name().toLowerCase(Locale.ROOT)).append("\"}");
        byte[] reply = send("POST", poolPath(pool, "/append"), body.toString().getBytes(StandardCharsets.UTF_8));
        return messageOf(reply);
    }

    /**
     * Appends messages under one lock on the server (all or none), each with {@code tags}; returns their receipts
     * in order.
     */
    public List<AppendResult> appendBatch(String pool, List<JsonData> records, List<String> tags,
                                          Durability durability) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(records.size() * 64);
        for (JsonData r : records) {
            body.write(r.bytes(), 0, r.length());
            body.write('\n');
        }
        StringBuilder query = new StringBuilder("?durability=").append(durability.name().toLowerCase(Locale.ROOT));
        tags.forEach(t -> query.append("&tag=").append(encode(t)));
        JsonNode reply = parse(send("POST", poolPath(pool, "/append_batch") + query, body.toByteArray()));
        List<AppendResult> receipts = new ArrayList<>();
        for (JsonNode r : reply.path("messages")) {
            receipts.add(new AppendResult(r.path("seq").asLong(), TimeFormat.parseRfc3339(r.path("time").asText())));
        }
        return receipts;
    }

    /** The message with this seq; NotFound if it is not (or no longer) in the pool. */
    public Message get(String pool, long seq) {
        return messageOf(send("GET", poolPath(pool, "/messages/" + seq), null));
    }

    /**
     * A tail of a pool: messages in seq order, filtered by the server, reconnecting after a dropped connection or a
     * server restart from the seq it needs next (nothing lost, nothing twice). Close it when done.
     */
    public RemoteTail tail(String pool, TailOptions options) {
        checkName(pool);
        return new RemoteTail(this, pool, options);
    }

    /** The longest a single stream is asked to last (the server's limit may be lower; see the builder). */
    Duration maxStream() {
        return maxStream;
    }

    /** Opens a stream request; the caller reads and closes the body. Errors before the stream are thrown. */
    HttpResponse<InputStream> stream(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request(pathAndQuery).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            try (InputStream in = r.body()) {
                throw failure(r.statusCode(), in.readAllBytes());
            }
        }
        return r;
    }

    static String poolPath(String pool, String rest) {
        return "/v0/pools/" + encode(checkName(pool)) + rest;
    }

    private static String checkName(String pool) {
        PoolDirectory.checkName(pool);
        return pool;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode json(String method, String path, JsonNode body) {
        try {
            byte[] bytes = body == null ? null : JsonTrees.MAPPER.writeValueAsBytes(body);
            return parse(send(method, path, bytes));
        } catch (JsonProcessingException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot write JSON: " + e.getOriginalMessage());
        }
    }

    private byte[] send(String method, String path, byte[] body) {
        HttpRequest.Builder b = request(path).timeout(requestTimeout);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw failure(r.statusCode(), r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolException(ErrorKind.IO, "interrupted while talking to " + base);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    /** The server's error, from its error envelope, or from the status alone when there is none. */
    static PoolException failure(int status, byte[] body) {
        PoolException e = null;
        try {
            e = ErrorJson.parse(JsonTrees.MAPPER.readTree(body));
        } catch (IOException ignored) {
            // not JSON: the status says it
        }
        if (e != null) {
            return e;
        }
        ErrorKind kind = status == 400 || status == 413 ? ErrorKind.USAGE : status == 401 || status == 403
                ? ErrorKind.PERMISSION : status == 404 ? ErrorKind.NOT_FOUND : status == 409 ? ErrorKind.ALREADY_EXISTS
                : status == 410 ? ErrorKind.RETENTION_GAP : status == 423 || status == 503 ? ErrorKind.BUSY
                : ErrorKind.INTERNAL;
        return new PoolException(kind, "the server answered HTTP " + status);
    }

    /** A connection-level failure, as one plain sentence. */
    PoolException unreachable(IOException e) {
        String server = base.toString().substring(0, base.toString().length() - 1);
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            SSLException tls = e instanceof SSLException ? (SSLException) e : (SSLException) e.getCause();
            return new PoolException(ErrorKind.IO, "TLS with " + server + " failed: " + tls.getMessage(), null, null,
                    null, "trust the server's certificate (--tls-ca FILE: its own, or the CA that signed it), or "
                    + "is it a plain HTTP server (http://)?", e);
        }
        String why = e instanceof ConnectException ? "connection refused" : e.getMessage() != null ? e.getMessage()
                : e.getClass().getSimpleName();
        // The JDK's words for an answer that is not HTTP: most likely a TLS server named http://.
        String hint = why.startsWith("parsing HTTP") ? "is it an HTTPS server (https://)?"
                : "is `rockpool serve` running there?";
        return new PoolException(ErrorKind.IO, "cannot reach " + server + ": " + why, null, null, null, hint, e);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JsonTrees.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PoolException(ErrorKind.INTERNAL, "the server's answer is not JSON: " + e.getMessage());
        }
    }

    private static Message messageOf(byte[] reply) {
        // {"message":ENVELOPE}: the envelope is parsed straight from the bytes, its data kept as sent.
        String prefix = "{\"message\":";
        if (reply.length > prefix.length() + 1 && new String(reply, 0, prefix.length(), StandardCharsets.US_ASCII)
                .equals(prefix)) {
            return Envelope.parse(reply, prefix.length(), reply.length - prefix.length() - 1);
        }
        JsonNode message = parse(reply).path("message");
        byte[] bytes = message.toString().getBytes(StandardCharsets.UTF_8);
        return Envelope.parse(bytes, 0, bytes.length);
    }

    /** Builds a {@link RemoteClient}. */
    public static final class Builder {
        private final URI base;
        private String token;
        private Tls tls = Tls.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration maxStream = Duration.ofSeconds(30);

        private Builder(String baseUrl) {
            URI uri = URI.create(baseUrl.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new PoolException(ErrorKind.USAGE, "remote base URL '" + baseUrl + "' must be "
                        + "http(s)://host:port");
            }
            this.base = URI.create(scheme + "://" + uri.getRawAuthority() + "/");
        }

        /** The bearer token to send. */
        public Builder token(String value) {
            token = value;
            return this;
        }

        /** The bearer token, read from a file (surrounding whitespace dropped). */
        public Builder tokenFile(Path file) {
            try {
                return token(Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw PoolException.io(file, "cannot read the token file", e);
            }
        }

        /** Trusts the certificates in this PEM file (a server's self-signed certificate, or a private CA). */
        public Builder tlsCa(Path pemFile) {
            tls = Tls.trusting(pemFile);
            return this;
        }

        /** Trusts any certificate and name: for trying things out only, the connection can be intercepted. */
        public Builder tlsSkipVerify(boolean skip) {
            tls = skip ? Tls.INSECURE : Tls.DEFAULT;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            requestTimeout = d;
            return this;
        }

        /**
         * The longest one stream request is asked to last (timeout_ms); a tail reconnects after each. At most the
         * server's {@code max stream duration} (30 s by default on both sides).
         */
        public Builder maxStream(Duration d) {
            maxStream = d;
            return this;
        }

        public RemoteClient build() {
            return new RemoteClient(this);
        }
    }
}
