package io.graytorrent.dht.internal;

import java.net.InetSocketAddress;

/** A datagram a node under test sent, as a capturing transport records it. */
record SentDatagram(InetSocketAddress to, byte[] datagram) {
    KrpcMessage message() {
        try {
            return KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            throw new AssertionError(e);
        }
    }
}
