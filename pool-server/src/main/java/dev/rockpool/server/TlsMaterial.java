package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS certificate chain and its private key, in memory as a key store for Jetty. Comes from PEM files (a chain of
 * certificates; a PKCS#8 private key) or is made self-signed by the JDK's own {@code keytool} (an EC P-256 key,
 * named for localhost, the loopback addresses and the bind address), so no crypto library beyond the JDK is needed.
 */
public final class TlsMaterial {
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final String ALIAS = "rockpool";
    /** Days a self-signed certificate is valid: under the 825 days clients such as Apple's still accept. */
    private static final int SELF_SIGNED_DAYS = 825;

    private final KeyStore keyStore;
    private final char[] password;
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private TlsMaterial(List<X509Certificate> chain, PrivateKey key) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
        try {
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException | IOException e) {
            throw new PoolException(ErrorKind.USAGE, "TLS certificate and key do not go together: " + e.getMessage());
        }
    }

    /** Reads a certificate chain and its key from PEM files; a Usage error naming the file when one is wrong. */
    public static TlsMaterial fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!sameKey(chain.get(0), key)) {
            throw new PoolException(ErrorKind.USAGE, "the TLS key " + keyFile + " is not the key of the certificate "
                    + certFile, keyFile);
        }
        return new TlsMaterial(chain, key);
    }

    /**
     * A new self-signed certificate for {@code localhost}, 127.0.0.1, ::1 and {@code extraHost} (the bind address,
     * when it is a specific one; may be null), made with the JDK's keytool in a private temporary directory.
     */
    public static TlsMaterial selfSigned(String extraHost) {
        try {
            Path dir = Files.createTempDirectory("rockpool-tls");
            try {
                return generate(dir, extraHost);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new PoolException(ErrorKind.IO, "cannot make a self-signed certificate: " + e.getMessage());
        }
    }

    private static TlsMaterial generate(Path dir, String extraHost) throws IOException {
        Path store = dir.resolve("self-signed.p12");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = List.of(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname",
                "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost, O=rockpool serve", "-ext",
                "SAN=" + subjectAltNames(extraHost), "-validity", String.valueOf(SELF_SIGNED_DAYS), "-storetype",
                "PKCS12", "-keystore", store.toString(), "-storepass:env", "ROCKPOOL_TLS_PASS");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ROCKPOOL_TLS_PASS", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new PoolException(ErrorKind.INTERNAL, "keytool failed to make a self-signed certificate: "
                        + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new PoolException(ErrorKind.INTERNAL, "interrupted while making a self-signed certificate");
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey(ALIAS, password.toCharArray());
            X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
            return new TlsMaterial(List.of(cert), key);
        } catch (GeneralSecurityException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot read keytool's certificate: " + e.getMessage());
        }
    }

    private static String subjectAltNames(String extraHost) {
        StringBuilder san = new StringBuilder("dns:localhost,ip:127.0.0.1,ip:::1");
        if (extraHost != null && !extraHost.isBlank() && !extraHost.equals("localhost")
                && !extraHost.equals("127.0.0.1") && !extraHost.equals("::1") && !extraHost.equals("0.0.0.0")
                && !extraHost.equals("::")) {
            boolean ip = extraHost.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
            san.append(ip ? ",ip:" : ",dns:").append(extraHost);
        }
        return san.toString();
    }

    private static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new PoolException(ErrorKind.USAGE, "TLS certificate file holds no certificate: " + file, file);
            }
            return chain;
        } catch (IOException e) {
            throw PoolException.io(file, "cannot read TLS certificate", e);
        } catch (CertificateException e) {
            throw new PoolException(ErrorKind.USAGE, "TLS certificate file " + file + " is not PEM certificates: "
                    + e.getMessage(), file);
        }
    }

    private static PrivateKey readPrivateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot read TLS key", e);
        }
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                return pkcs8(Base64.getMimeDecoder().decode(m.group(2)), file);
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new PoolException(ErrorKind.USAGE, "TLS key " + file + " is a '" + type + "'; rockpool reads"
                        + " unencrypted PKCS#8 keys ('PRIVATE KEY')", file, null, null,
                        "convert it: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem", null);
            }
        }
        throw new PoolException(ErrorKind.USAGE, "TLS key file holds no 'PRIVATE KEY' PEM block: " + file, file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new PoolException(ErrorKind.USAGE, "TLS key " + file + " is not an RSA, EC or EdDSA PKCS#8 key", file);
    }

    private static boolean sameKey(X509Certificate cert, PrivateKey key) {
        String certAlgorithm = cert.getPublicKey().getAlgorithm();
        String keyAlgorithm = key.getAlgorithm();
        return certAlgorithm.equals(keyAlgorithm) || certAlgorithm.startsWith("Ed") && keyAlgorithm.startsWith("Ed")
                || certAlgorithm.equals("EdDSA") || keyAlgorithm.equals("EdDSA");
    }

    /** The key store Jetty serves from (one entry). */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The key store's password (random, in memory only). */
    String password() {
        return new String(password);
    }

    /** {@code SHA256:AB:CD:...} of the leaf certificate, as plasmite prints it, to check out of band. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chain.get(0).getEncoded());
            return "SHA256:" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot fingerprint the TLS certificate: " + e.getMessage());
        }
    }

    /** The chain as PEM text. */
    public String certificatePem() {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate cert : chain) {
                pem.append(pem("CERTIFICATE", cert.getEncoded()));
            }
        } catch (CertificateException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot encode the TLS certificate: " + e.getMessage());
        }
        return pem.toString();
    }

    /** The private key as PKCS#8 PEM text. */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** When the leaf certificate expires, and for which names: for {@code serve check}. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
