package io.graytorrent.peerwire.internal;

import io.graytorrent.api.DhtService;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The DHT as the peer wire sees it (BEP 5), while a DHT plugin runs: our handshakes then set the DHT
 * bit, connections to peers that set it too send a PORT message with our node's port, and the nodes
 * their PORT messages name go to the DHT, as do the addresses their extension handshakes see us at. Thread-safe; the service comes and goes with its plugin.
 */
final class DhtLink {
    private volatile DhtService dht;

    void use(DhtService service) {
        dht = service;
    }

    /** Forgets {@code service} if it is the one in use. */
    void drop(DhtService service) {
        if (dht == service) {
            dht = null;
        }
    }

    boolean running() {
        return dht != null;
    }

    /** Our node's UDP port, or 0 while no DHT runs. */
    int port() {
        DhtService running = dht;
        return running == null ? 0 : running.port();
    }

    void nodeOffered(InetSocketAddress node) {
        DhtService running = dht;
        if (running != null) {
            running.nodeOffered(node);
        }
    }

    void addressReported(InetAddress reporter, InetAddress reported) {
        DhtService running = dht;
        if (running != null) {
            running.addressReported(reporter, reported);
        }
    }
}
