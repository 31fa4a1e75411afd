package io.graytorrent.api;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The running DHT node (BEP 5), registered as an OSGi service by the DHT plugin while it runs; absent
 * when the plugin is not installed. Thread-safe.
 */
@ProviderType
public interface DhtService {

    DhtStatus status();

    /** The UDP port our node listens on, which BEP 5 PORT messages tell peers. */
    int port();

    /** A peer's PORT message named a DHT node: it is pinged, and enters the routing table if it answers. */
    void nodeOffered(InetSocketAddress node);
}
