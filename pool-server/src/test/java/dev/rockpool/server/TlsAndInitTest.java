package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serve init}, {@code serve check} and TLS, with the JDK's own client trusting the certificate. */
class TlsAndInitTest {
    @TempDir
    Path dir;

    @Test
    void initWritesPrivateFilesAndRefusesToOverwrite() throws IOException {
        Path out = dir.resolve("serve");
        ServeInit.Result r = ServeInit.init(ServeInit.Options.in(out, "127.0.0.1", 9700));
        for (Path f : new Path[] {r.tokenFile(), r.certFile(), r.keyFile()}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        String token = Files.readString(r.tokenFile()).strip();
        assertTrue(token.matches("[0-9a-f]{64}"), token);
        assertTrue(r.fingerprint().matches("SHA256:([0-9A-F]{2}:){31}[0-9A-F]{2}"), r.fingerprint());
        assertTrue(r.serverCommand().contains("--tls-cert " + r.certFile()));
        assertFalse(String.join(" ", r.clientCommands()).contains(token), "the token is never printed");

        PoolException again = assertThrows(PoolException.class,
                () -> ServeInit.init(ServeInit.Options.in(out, "127.0.0.1", 9700)));
        assertEquals(ErrorKind.ALREADY_EXISTS, again.kind());
        assertEquals(token, Files.readString(r.tokenFile()).strip(), "nothing overwritten");
        ServeInit.Result forced = ServeInit.init(ServeInit.Options.in(out, "127.0.0.1", 9700).force(true));
        assertNotEquals(token, Files.readString(forced.tokenFile()).strip());
        assertNotEquals(r.fingerprint(), forced.fingerprint());
    }

    @Test
    void servesTlsWithTheInitFilesToAClientTrustingTheCertificate() throws Exception {
        ServeInit.Result init = ServeInit.init(ServeInit.Options.in(dir.resolve("serve"), "127.0.0.1", 0));
        String token = Files.readString(init.tokenFile()).strip();
        ServerCheck check = ServerConfig.builder(dir.resolve("pools")).port(0).tokenFile(init.tokenFile())
                .tlsCert(init.certFile()).tlsKey(init.keyFile()).build().check();
        assertEquals(init.fingerprint(), check.tls().fingerprint());
        assertEquals("pem", check.toJson().at("/tls/mode").asText());
        try (PoolServer server = new PoolServer(check)) {
            server.start();
            assertTrue(server.url().startsWith("https://127.0.0.1:"));
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(init.certFile())).build();
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(server.url() + "/v0/pools"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("{\"pools\":[]}", r.body());
            HttpClient stranger = HttpClient.newHttpClient();
            assertThrows(SSLHandshakeException.class, () -> stranger.send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void selfSignedOnTheFly() throws Exception {
        ServerCheck check = ServerConfig.builder(dir).port(0).tlsSelfSigned(true).build().check();
        assertEquals("self-signed", check.toJson().at("/tls/mode").asText());
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, check.tls().certificatePem());
        try (PoolServer server = new PoolServer(check)) {
            server.start();
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(trusting(cert)).build().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
    }

    @Test
    void checkEnforcesTheSecurityRules() throws IOException {
        ServeInit.Result init = ServeInit.init(ServeInit.Options.in(dir.resolve("serve"), "0.0.0.0", 9700));
        assertUsage(ServerConfig.builder(dir).host("0.0.0.0"), "--allow-non-loopback");
        assertUsage(ServerConfig.builder(dir).host("0.0.0.0").allowNonLoopback(true), "--token-file");
        assertUsage(ServerConfig.builder(dir).host("0.0.0.0").allowNonLoopback(true).tokenFile(init.tokenFile()),
                "needs TLS");
        assertUsage(ServerConfig.builder(dir).tlsCert(init.certFile()), "both --tls-cert and --tls-key");
        assertUsage(ServerConfig.builder(dir).tlsCert(init.certFile()).tlsKey(init.keyFile()).tlsSelfSigned(true),
                "cannot be combined");
        assertUsage(ServerConfig.builder(dir).tlsCert(init.keyFile()).tlsKey(init.keyFile()), "certificate");
        assertUsage(ServerConfig.builder(dir).tlsCert(init.certFile()).tlsKey(init.tokenFile()), "PRIVATE KEY");
        assertUsage(ServerConfig.builder(dir).limits(new ServerLimits(0, ServerLimits.DEFAULTS.maxStreamDuration(),
                1, 1)), "max-body-bytes");
        assertUsage(ServerConfig.builder(dir).tokenFile(dir.resolve("serve/" + ServeInit.CERT_FILE)), "printable");

        // read-only on every interface needs neither; writes with a token and the loud flag go without TLS
        ServerConfig.builder(dir).host("0.0.0.0").allowNonLoopback(true).access(AccessMode.READ_ONLY).build().check();
        ServerCheck insecure = ServerConfig.builder(dir).host("0.0.0.0").allowNonLoopback(true)
                .tokenFile(init.tokenFile()).insecureNoTls(true).build().check();
        assertTrue(insecure.warnings().get(0).contains("unencrypted"));
        ServerCheck secure = ServerConfig.builder(dir).host("0.0.0.0").allowNonLoopback(true)
                .tokenFile(init.tokenFile()).tlsCert(init.certFile()).tlsKey(init.keyFile()).build().check();
        assertEquals("bearer", secure.toJson().get("auth").asText());
        assertFalse(secure.toJson().toString().contains(Files.readString(init.tokenFile()).strip()));
        assertTrue(ServerConfig.builder(dir).build().check().warnings().get(0).contains("no --token-file"));
    }

    @Test
    void bindAddressForms() {
        assertEquals("0.0.0.0", ServerConfig.builder(dir).bind("0.0.0.0:80").build().host());
        assertEquals(80, ServerConfig.builder(dir).bind("0.0.0.0:80").build().port());
        assertEquals("::1", ServerConfig.builder(dir).bind("[::1]:9").build().host());
        assertEquals(9700, ServerConfig.builder(dir).bind("localhost").build().port());
        assertEquals(5, ServerConfig.builder(dir).bind(":5").build().port());
        assertThrows(PoolException.class, () -> ServerConfig.builder(dir).bind("x:y"));
        assertThrows(PoolException.class, () -> ServerConfig.builder(dir).bind("x:70000"));
    }

    private void assertUsage(ServerConfig.Builder b, String words) {
        PoolException e = assertThrows(PoolException.class, () -> b.build().check());
        assertEquals(ErrorKind.USAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
