package dev.rockpool.client;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Which servers the client trusts: the JDK's CAs (default), the certificates of a PEM file, or any (insecure). */
final class Tls {
    static final Tls DEFAULT = new Tls(null);
    static final Tls INSECURE = new Tls(context(new TrustManager[] {new TrustAll()}));

    private final SSLContext context;

    private Tls(SSLContext context) {
        this.context = context;
    }

    SSLContext context() {
        try {
            return context != null ? context : SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new PoolException(ErrorKind.INTERNAL, "no default TLS context: " + e.getMessage());
        }
    }

    /** Trusts exactly the certificates of a PEM file, with the usual checks of validity and host name. */
    static Tls trusting(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, cert);
            }
            if (n == 0) {
                throw new PoolException(ErrorKind.USAGE, "no certificate in " + pemFile, pemFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return new Tls(context(tmf.getTrustManagers()));
        } catch (IOException e) {
            throw PoolException.io(pemFile, "cannot read the TLS CA file", e);
        } catch (CertificateException e) {
            throw new PoolException(ErrorKind.USAGE, "the TLS CA file " + pemFile + " is not PEM certificates: "
                    + e.getMessage(), pemFile);
        } catch (GeneralSecurityException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot use the TLS CA file: " + e.getMessage(), pemFile);
        }
    }

    private static SSLContext context(TrustManager[] trust) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, trust, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot set up TLS: " + e.getMessage());
        }
    }

    /**
     * Accepts every certificate and host name. An extended trust manager: the JDK checks host names itself only
     * around plain ones.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
