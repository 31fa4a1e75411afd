package io.graytorrent.api;

import java.net.InetAddress;
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

    /**
     * The peer at {@code reporter} said in its extension handshake ({@code yourip}, BEP 10) that it
     * sees us at {@code reported}: one vote toward our external address, from which BEP 42 derives
     * our node id. Each reporting IP counts once, and only agreeing votes of several IPs count.
     */
    void addressReported(InetAddress reporter, InetAddress reported);

    /**
     * Our own gateway reported {@code external} as our address on its outside (UPnP
     * {@code GetExternalIPAddress}, NAT-PMP): trusted without votes, and in force until a quorum of
     * voters agrees on another address.
     */
    void externalAddressKnown(InetAddress external);
}
