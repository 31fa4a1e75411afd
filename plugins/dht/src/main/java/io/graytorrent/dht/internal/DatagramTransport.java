package io.graytorrent.dht.internal;

import java.net.InetSocketAddress;

/**
 * Where a {@link DhtNode} sends its datagrams: a UDP socket in production, an in-memory network in
 * tests. Sending must not block and may silently lose the datagram, as UDP does.
 */
public interface DatagramTransport {
    void send(InetSocketAddress to, byte[] datagram);
}
