package io.graytorrent.launcher;

import java.net.URI;
import java.util.Optional;

/**
 * Where the control endpoint listens on loopback, and with TLS the certificate it presents (PEM),
 * which is the only one its clients trust.
 */
record ControlAddress(int port, Optional<String> certificatePem) {
    static final String HTTP = "http";
    static final String HTTPS = "https";

    String scheme() {
        return certificatePem.isPresent() ? HTTPS : HTTP;
    }

    URI base() {
        return URI.create(scheme() + "://127.0.0.1:" + port);
    }
}
