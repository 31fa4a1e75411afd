package io.graytorrent.control.internal.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;

/** The endpoint's TLS context from a PKCS12 keystore, on the JDK's own TLS (no native library). */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * The context, and the certificate it presents as PEM: the launcher hands that to the {@code gray}
     * client, which trusts exactly this certificate.
     */
    public record ServerTls(SslContext context, String certificatePem) {
    }

    public static ServerTls server(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SslContext context = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
            return new ServerTls(context, pem(certificate(store, keystore)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot use keystore " + keystore + " for TLS: " + e.getMessage(), e);
        }
    }

    /** The certificate of the keystore's one key (several keys would leave the client guessing which is served). */
    private static Certificate certificate(KeyStore store, Path keystore) throws GeneralSecurityException {
        var keyAliases = Collections.list(store.aliases()).stream().filter(alias -> isKey(store, alias)).toList();
        if (keyAliases.size() != 1) {
            throw new GeneralSecurityException("it must hold exactly one key, not " + keyAliases.size());
        }
        return store.getCertificate(keyAliases.get(0));
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String pem(Certificate certificate) throws GeneralSecurityException {
        Base64.Encoder lines = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN CERTIFICATE-----\n" + lines.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
