package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.rockpool.cli.Cli.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The remote CLI against secured servers, all real processes: a token and TLS from {@code serve init} (the
 * certificate trusted with {@code --tls-ca}, or not checked with {@code --tls-skip-verify}), and the access modes.
 */
class RemoteSecurityTest {
    @TempDir
    Path dir;

    @Test
    void tokenAndTlsFromServeInit() throws Exception {
        Path secrets = dir.resolve("secrets");
        Cli.Result init = exec(dir, new byte[0], "serve", "init", "--output-dir", secrets.toString(), "--bind",
                "127.0.0.1:0", "--json");
        assertEquals(0, init.exit(), init.toString());
        JsonNode files = init.outJson().get(0);
        String token = files.get("token_file").asText();
        String cert = files.get("tls_cert").asText();
        try (ServeProcess server = new ServeProcess(dir.resolve("pools"), dir, "--token-file", token, "--tls-cert",
                cert, "--tls-key", files.get("tls_key").asText())) {
            String url = server.url("https", "secure");
            Cli.Result fed = exec(dir, new byte[0], "feed", url, "--create", "--token-file", token, "--tls-ca", cert,
                    "{\"secret\":true}");
            assertEquals(0, fed.exit(), fed.toString());
            Cli.Result followed = exec(dir, new byte[0], "follow", url, "--no-follow", "--token-file", token,
                    "--tls-ca", cert);
            assertEquals(0, followed.exit(), followed.toString());
            assertTrue(followed.outJson().get(0).get("data").get("secret").asBoolean());
            Cli.Result skipping = exec(dir, new byte[0], "fetch", url, "1", "--token-file", token,
                    "--tls-skip-verify");
            assertEquals(0, skipping.exit(), skipping.toString());

            Cli.Result noToken = exec(dir, new byte[0], "fetch", url, "1", "--tls-ca", cert);
            assertEquals(6, noToken.exit(), noToken.toString());
            assertEquals("Permission", noToken.error().get("kind").asText());
            Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-token\n");
            Cli.Result wrongToken = exec(dir, new byte[0], "follow", url, "--token-file", wrong.toString(),
                    "--tls-ca", cert);
            assertEquals(6, wrongToken.exit(), wrongToken.toString());
            Cli.Result untrusted = exec(dir, new byte[0], "pool", "info", url, "--token-file", token);
            assertEquals(8, untrusted.exit(), untrusted.toString());
            assertTrue(untrusted.error().get("message").asText().startsWith("TLS with https://localhost:"),
                    untrusted.toString());
            assertTrue(untrusted.error().get("hint").asText().contains("--tls-ca"), untrusted.toString());
            Cli.Result plain = exec(dir, new byte[0], "pool", "info", server.url("http", "secure"), "--token-file",
                    token);
            assertEquals(8, plain.exit(), plain.toString());
            assertEquals("is it an HTTPS server (https://)?", plain.error().get("hint").asText(), plain.toString());
        }
    }

    @Test
    void accessModes() throws Exception {
        Path pools = dir.resolve("pools");
        try (ServeProcess writeOnly = new ServeProcess(pools, dir, "--access", "write-only")) {
            String url = writeOnly.url("drop");
            // Nothing can be read here, not even the pool's size: feed goes on without it.
            assertEquals(0, exec(dir, new byte[0], "feed", url, "--create", "{\"n\":1}").exit());
            Cli.Result stream = exec(dir, Cli.bytes("{\"n\":2}\n{\"n\":3}\n"), "feed", url);
            assertEquals(0, stream.exit(), stream.toString());
            assertEquals(3, stream.outJson().get(1).get("seq").asLong());
            Cli.Result read = exec(dir, new byte[0], "follow", url, "--no-follow");
            assertEquals(6, read.exit(), read.toString());
            assertTrue(read.error().get("message").asText().contains("write-only"), read.toString());
        }
        try (ServeProcess readOnly = new ServeProcess(pools, dir, "--access", "read-only")) {
            String url = readOnly.url("drop");
            Cli.Result fed = exec(dir, new byte[0], "feed", url, "{\"n\":4}");
            assertEquals(6, fed.exit(), fed.toString());
            Cli.Result read = exec(dir, new byte[0], "follow", url, "--no-follow", "--data-only");
            assertEquals(0, read.exit(), read.toString());
            assertEquals("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", read.out());
        }
    }
}
