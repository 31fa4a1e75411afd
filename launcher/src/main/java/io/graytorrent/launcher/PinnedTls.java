package io.graytorrent.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context for one client that trusts a single certificate, the server's own, and nothing else
 * (not the JDK's CAs): the server's key alone can answer. The JDK's usual checks stay on, so the
 * certificate must be valid now and name the host dialled (127.0.0.1).
 */
final class PinnedTls {
    private PinnedTls() {
    }

    static SSLContext trusting(String certificatePem) {
        try {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("gray-server", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the server's certificate (GRAY_HOME/control.pem): "
                    + e.getMessage(), e);
        }
    }
}
