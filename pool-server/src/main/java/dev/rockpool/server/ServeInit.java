package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code rockpool serve init}: writes what a secure server needs, a random bearer token and a self-signed TLS
 * certificate with its key, each readable by its owner only (0600). Refuses to overwrite any of them unless forced;
 * the token itself is never printed, only where it is.
 */
public final class ServeInit {
    /** Default file names, in the output directory. */
    public static final String TOKEN_FILE = "rockpool-auth-token.txt";
    public static final String CERT_FILE = "rockpool-tls-cert.pem";
    public static final String KEY_FILE = "rockpool-tls-key.pem";

    private ServeInit() {
    }

    /**
     * What to write.
     *
     * @param tokenFile where the token goes
     * @param certFile  where the certificate goes (PEM)
     * @param keyFile   where the private key goes (PKCS#8 PEM)
     * @param bindHost  the host clients will use, named in the certificate beside localhost and loopback
     * @param port      the port the server will listen on, for the printed commands
     * @param force     overwrite existing files
     */
    public record Options(Path tokenFile, Path certFile, Path keyFile, String bindHost, int port, boolean force) {
        /** The default file names in {@code dir}, for {@code host:port}, not forced. */
        public static Options in(Path dir, String bindHost, int port) {
            return new Options(dir.resolve(TOKEN_FILE), dir.resolve(CERT_FILE), dir.resolve(KEY_FILE), bindHost, port,
                    false);
        }

        public Options force(boolean value) {
            return new Options(tokenFile, certFile, keyFile, bindHost, port, value);
        }
    }

    /**
     * What was written, and how to use it.
     *
     * @param tokenFile      the token file
     * @param certFile       the certificate
     * @param keyFile        the private key
     * @param fingerprint    the certificate's SHA-256 fingerprint, to compare out of band
     * @param serverCommand  how to start the server with these files
     * @param clientCommands how to reach it ({@code rockpool} and curl)
     */
    public record Result(Path tokenFile, Path certFile, Path keyFile, String fingerprint, String serverCommand,
                         List<String> clientCommands) {
    }

    /** Writes the three files; AlreadyExists (naming the file) if one exists and {@code force} is not set. */
    public static Result init(Options o) {
        Set<Path> paths = new LinkedHashSet<>(List.of(o.tokenFile().toAbsolutePath().normalize(),
                o.certFile().toAbsolutePath().normalize(), o.keyFile().toAbsolutePath().normalize()));
        if (paths.size() != 3) {
            throw new PoolException(ErrorKind.USAGE, "the token, certificate and key need three different files");
        }
        if (!o.force()) {
            for (Path p : paths) {
                if (Files.exists(p)) {
                    throw new PoolException(ErrorKind.ALREADY_EXISTS, "already exists: " + p, p, null, null,
                            "pass --force to replace it, or choose other paths", null);
                }
            }
        }
        TlsMaterial tls = TlsMaterial.selfSigned(o.bindHost());
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        writePrivate(o.tokenFile(), HexFormat.of().formatHex(token) + "\n", o.force());
        writePrivate(o.certFile(), tls.certificatePem(), o.force());
        writePrivate(o.keyFile(), tls.privateKeyPem(), o.force());
        String hostPort = ServerCheck.hostPort(o.bindHost(), o.port());
        String server = "rockpool serve --bind " + hostPort + (isLoopback(o.bindHost()) ? "" : " --allow-non-loopback")
                + " --token-file " + o.tokenFile() + " --tls-cert " + o.certFile() + " --tls-key " + o.keyFile();
        String url = "https://" + (o.bindHost().equals("0.0.0.0") || o.bindHost().equals("::") ? "localhost"
                : hostPort.substring(0, hostPort.lastIndexOf(':'))) + ":" + o.port();
        List<String> clients = List.of(
                "rockpool feed " + url + "/demo --token-file " + o.tokenFile() + " --tls-ca " + o.certFile()
                        + " '{\"hello\":\"world\"}'",
                "rockpool follow " + url + "/demo --token-file " + o.tokenFile() + " --tls-ca " + o.certFile(),
                "curl --cacert " + o.certFile() + " -H \"Authorization: Bearer $(cat " + o.tokenFile() + ")\" "
                        + url + "/v0/pools/demo/tail?timeout_ms=5000");
        return new Result(o.tokenFile(), o.certFile(), o.keyFile(), tls.fingerprint(), server, clients);
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /** Writes a file only its owner can read: created 0600 beside it, then put in place atomically. */
    private static void writePrivate(Path file, String text, boolean replace) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (replace) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.createLink(file, tmp); // atomic, and never replaces a file that appeared meanwhile
            }
        } catch (FileAlreadyExistsException e) {
            throw new PoolException(ErrorKind.ALREADY_EXISTS, "already exists: " + file, file);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot write", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing left to clean
            }
        }
    }
}
