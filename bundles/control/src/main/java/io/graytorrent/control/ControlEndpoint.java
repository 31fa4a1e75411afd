package io.graytorrent.control;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The control endpoint (HTTP, or HTTPS when configured), registered once it listens. Its service properties tell a launcher in
 * the same framework where it is without sharing any class: filter on {@link #PORT}.
 *
 * <p>Protocol: {@code POST /api/v1/command} with {@code Authorization: Bearer TOKEN} and a JSON body
 * {@code {"args":["info","x.torrent"],"cwd":"/abs/dir","tty":false}} runs {@code bt:info} and answers
 * a stream of JSON lines, {@code {"out":"…"}} and {@code {"err":"…"}} as the command writes, then
 * {@code {"exit":N}}. {@code GET /api/v1/status} answers {@code {"status":"running"}}. The JSON API
 * beside them is described in docs/api.md.
 */
@ProviderType
public interface ControlEndpoint {
    /** Framework property holding the secret every request must carry; no token, no endpoint. */
    String TOKEN_PROPERTY = "graytorrent.control.token";
    /** Service property: the TCP port the endpoint listens on. */
    String PORT = "graytorrent.control.port";
    /** Service property: the address the endpoint is bound to. */
    String ADDRESS = "graytorrent.control.address";
    /**
     * Service property, present exactly when the endpoint serves HTTPS: the certificate it presents
     * (PEM), for a client to trust that one and no other.
     */
    String CERTIFICATE = "graytorrent.control.certificate";

    int port();
}
