package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.JsonTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real server on a free loopback port over a pool directory, and a JDK HTTP client speaking to it. */
final class TestServer implements AutoCloseable {
    final Path dir;
    final PoolServer server;
    final InetSocketAddress address;
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(Path dir) {
        this(dir, b -> b);
    }

    TestServer(Path dir, UnaryOperator<ServerConfig.Builder> config) {
        this.dir = dir;
        this.server = new PoolServer(config.apply(ServerConfig.builder(dir).port(0)).build().check());
        this.address = server.start();
        this.base = server.url();
    }

    /** A response: its status, body and the body as JSON (null when it is not). */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JsonTrees.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Reply post(String path, String body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply delete(String path, String... headers) {
        return send(request(path, headers).DELETE().build());
    }

    Reply method(String method, String path, String... headers) {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }

    /** Serves a directory until killed: {@code java ... TestServer DIR}, for trying it by hand. */
    public static void main(String[] args) throws InterruptedException {
        try (TestServer s = new TestServer(Path.of(args[0]))) {
            System.out.println(s.base);
            s.server.join();
        }
    }
}
