package io.graytorrent.control.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/** The endpoint's TLS context from a PKCS12 keystore, on the JDK's own TLS (no native library). */
final class TlsContexts {
    private TlsContexts() {
    }

    static SslContext server(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot use keystore " + keystore + " for TLS: " + e.getMessage(), e);
        }
    }
}
