package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.rockpool.cli.Cli.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rockpool serve}, {@code serve init} and {@code serve check} as real processes: port 0 and the ready file,
 * SIGTERM ending streams (whose followers resume once it is back), the files {@code init} writes, and the
 * configurations {@code check} refuses, with their exit codes.
 */
class ServeCommandTest {
    /** SIGTERM's bound ({@code PoolServer.STOP_TIMEOUT}, 10 s) with room for a loaded machine. */
    private static final long STOP_SECONDS = 40;

    @TempDir
    Path dir;

    @Test
    void servesOnPort0UntilSigtermEndsItsStreamsAndAFollowerResumesOnceItIsBack() throws Exception {
        Path pools = dir.resolve("pools");
        try (ServeProcess server = new ServeProcess(pools, dir)) {
            assertTrue(server.stderr().contains("\"kind\":\"serving\""), server.stderr());
            assertFalse(server.stderr().contains("SLF4J"), server.stderr());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                    + server.address() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(0, exec(dir, new byte[0], "pool", "create", server.url("p"), "--size", "1M").exit());
            assertEquals(0, exec(dir, new byte[0], "feed", server.url("p"), "{\"n\":1}").exit());

            Process follower = Cli.process(Cli.launcher(), dir, List.of("follow", server.url("p"), "--from-seq", "1",
                    "--limit", "2", "--format", "jsonl")).start();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(follower.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals(1, Cli.json(readLine(lines)).get("seq").asLong());
                assertEquals(143, server.terminate(STOP_SECONDS), "128 + SIGTERM: " + server.stderr());
                assertTrue(server.stderr().contains("\"kind\":\"stopping\""), server.stderr());
                assertFalse(server.stderr().contains("SLF4J"), server.stderr());
                assertTrue(follower.isAlive(), "the follower waits for the server to come back");

                server.restart();
                assertEquals(0, exec(dir, new byte[0], "feed", server.url("p"), "{\"n\":2}").exit());
                JsonNode second = Cli.json(readLine(lines));
                assertEquals(2, second.get("seq").asLong());
                assertTrue(follower.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, follower.exitValue());
            } finally {
                follower.destroyForcibly();
            }
        }
    }

    /** The push options reach the server: Plasma's endpoint at GET / over the pool named, with the retry given. */
    @Test
    void pushOptionsReachTheServer() throws Exception {
        Path pools = dir.resolve("pools");
        try (ServeProcess server = new ServeProcess(pools, dir, "--plasma-pool", "plasma", "--event-query", "types",
                "--sse-retry", "750ms", "--heartbeat", "1s")) {
            assertEquals(0, exec(dir, new byte[0], "pool", "create", server.url("plasma"), "--size", "1M").exit());
            HttpResponse<Stream<String>> events = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://" + server.address() + "/?types=a")).header("Accept",
                            "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, events.statusCode());
            try (Stream<String> lines = events.body()) {
                // The retry first, then a heartbeat within the second asked for: nothing else on a quiet pool.
                assertEquals(List.of("retry: 750", "", ": heartbeat"), lines.limit(3).collect(
                        Collectors.toList()));
            }
        }
    }

    @Test
    void theReadyFileMayBeNamedByPlasmitesVariable() throws Exception {
        Path ready = dir.resolve("ready");
        ProcessBuilder pb = Cli.process(Cli.launcher(), dir, List.of("--dir", dir.resolve("pools").toString(),
                "serve", "--bind", "127.0.0.1:0")).redirectError(dir.resolve("err").toFile());
        pb.environment().put("PLASMITE_SERVE_READY_FILE", ready.toString());
        Process p = pb.start();
        try {
            for (int i = 0; i < 6000 && !Files.exists(ready) && p.isAlive(); i++) {
                Thread.sleep(20);
            }
            String address = Files.readString(ready);
            assertTrue(address.matches("127\\.0\\.0\\.1:\\d+"), address);
            Cli.Result list = exec(dir, new byte[0], "pool", "list", "http://" + address, "--json");
            assertEquals(0, list.exit(), list.toString());
            assertEquals(0, list.outJson().get(0).get("pools").size());
        } finally {
            p.destroy();
            p.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPortInUseIsAnIoError() throws Exception {
        try (ServeProcess server = new ServeProcess(dir.resolve("pools"), dir)) {
            Cli.Result second = exec(dir, new byte[0], "serve", "--bind", server.address());
            assertEquals(8, second.exit(), second.toString());
            assertTrue(second.error().get("message").asText().startsWith("cannot serve on " + server.address()),
                    second.toString());
        }
    }

    @Test
    void initWritesPrivateFilesRefusesToOverwriteThemAndReplacesThemWithForce() throws Exception {
        Path out = dir.resolve("secrets");
        Cli.Result init = exec(dir, new byte[0], "serve", "init", "--output-dir", out.toString(), "--bind",
                "127.0.0.1:9701", "--json");
        assertEquals(0, init.exit(), init.toString());
        JsonNode r = init.outJson().get(0);
        Path token = Path.of(r.get("token_file").asText());
        for (String field : List.of("token_file", "tls_cert", "tls_key")) {
            Path file = Path.of(r.get(field).asText());
            assertEquals(out, file.getParent());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), field);
        }
        String secret = Files.readString(token).strip();
        assertEquals(64, secret.length(), "256 random bits in hex");
        assertFalse(init.out().contains(secret), "the token is never printed");
        assertTrue(r.get("server_command").asText().startsWith("rockpool serve --bind 127.0.0.1:9701 --token-file "));
        assertTrue(r.get("fingerprint").asText().startsWith("SHA256:"));

        Cli.Result again = exec(dir, new byte[0], "serve", "init", "--output-dir", out.toString());
        assertEquals(4, again.exit(), again.toString());
        assertEquals("AlreadyExists", again.error().get("kind").asText());
        assertEquals(secret, Files.readString(token).strip(), "nothing was replaced");

        Cli.Result forced = exec(dir, new byte[0], "serve", "init", "--output-dir", out.toString(), "--force");
        assertEquals(0, forced.exit(), forced.toString());
        assertTrue(forced.out().contains("certificate fingerprint: SHA256:"), forced.out());
        assertNotEquals(secret, Files.readString(token).strip());
    }

    @Test
    void checkPrintsTheSettingsWithoutBinding() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        try (ServeProcess busy = new ServeProcess(dir.resolve("pools"), dir)) {
            // The address is taken: check binds nothing, so it still says yes.
            Cli.Result json = exec(dir, new byte[0], "serve", "--bind", busy.address(), "--token-file",
                    token.toString(), "--access", "read-only", "--cors-origin", "https://app.example.com", "check",
                    "--json");
            assertEquals(0, json.exit(), json.toString());
            JsonNode s = json.outJson().get(0);
            assertEquals("http://" + busy.address(), s.get("url").asText());
            assertEquals("read-only", s.get("access").asText());
            assertEquals("bearer", s.get("auth").asText());
            assertEquals("https://app.example.com", s.get("cors_origins").get(0).asText());
            assertEquals(0, s.get("warnings").size(), s.toString());
            assertEquals("{\"event_query\":\"eventType\",\"heartbeat_ms\":15000,\"sse_retry_ms\":2000}",
                    s.get("push").toString(), "the push settings' defaults");
        }
        Cli.Result text = exec(dir, new byte[0], "serve", "--tls-self-signed", "--max-streams", "8", "check");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().startsWith("ok: would serve "), text.out());
        assertTrue(text.out().contains("at https://127.0.0.1:9700 (loopback only)"), text.out());
        assertTrue(text.out().contains("tls: self-signed (fingerprint SHA256:"), text.out());
        assertTrue(text.out().contains(", 8 streams, "), text.out());
        assertTrue(text.out().contains("warning: no --token-file"), text.out());
        Cli.Result push = exec(dir, new byte[0], "serve", "--plasma-pool", "plasma", "--event-query", "types",
                "--heartbeat", "5s", "--sse-retry", "0s", "check");
        assertTrue(push.out().contains("push: event query types, plasma pool plasma, heartbeat 5s, sse retry 0s\n"),
                push.toString());
    }

    /** Each refused configuration: exit 2 and the reason. In-process: check binds nothing, there is no server. */
    @Test
    void checkRefusesWhatIsNotSecureOrNotValid() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "0123456789abcdef0123456789abcdef\n");
        refused("needs --allow-non-loopback", "--bind", "0.0.0.0:9700");
        refused("accepts writes needs --token-file", "--bind", "0.0.0.0:9700", "--allow-non-loopback");
        refused("accepts writes needs TLS", "--bind", "0.0.0.0:9700", "--allow-non-loopback", "--token-file",
                token.toString());
        refused("accepts writes needs --token-file", "--bind", "0.0.0.0:9700", "--allow-non-loopback",
                "--access", "write-only", "--tls-self-signed");
        refused("TLS needs both --tls-cert and --tls-key", "--tls-cert", token.toString());
        refused("wildcards are not allowed", "--cors-origin", "*");
        refused("invalid value for --access", "--access", "everything");
        refused("invalid value for --max-streams", "--max-streams", "0");
        refused("cannot read the token file", "--token-file", dir.resolve("missing").toString());
        refused("must be at least 1 s", "--heartbeat", "500ms");
        refused("invalid value for --sse-retry", "--sse-retry", "-1s");
        refused("invalid pool name", "--plasma-pool", "../x");
        // Allowed: reads only, or writes with a token and TLS, or the loudly named waiver of TLS.
        allowed("--bind", "0.0.0.0:9700", "--allow-non-loopback", "--access", "read-only");
        allowed("--bind", "0.0.0.0:9700", "--allow-non-loopback", "--token-file", token.toString(),
                "--tls-self-signed");
        allowed("--bind", "0.0.0.0:9700", "--allow-non-loopback", "--token-file", token.toString(),
                "--insecure-no-tls");
    }

    private void refused(String reason, String... options) {
        Cli.Result r = check(options);
        int expected = reason.startsWith("cannot read") ? 8 : 2;
        assertEquals(expected, r.exit(), r.toString());
        assertTrue(r.error().get("message").asText().contains(reason), r.toString());
        assertEquals("", r.out());
    }

    private void allowed(String... options) {
        Cli.Result r = check(options);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.outJson().get(0).get("ok").asBoolean(), r.toString());
    }

    private Cli.Result check(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "serve";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = "check";
        args[options.length + 2] = "--json";
        return Cli.run(dir.resolve("pools"), args);
    }

    static String readLine(BufferedReader in) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(120, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the stream ended");
        }
        return line;
    }
}
