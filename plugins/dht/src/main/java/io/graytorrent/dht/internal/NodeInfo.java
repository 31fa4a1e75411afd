package io.graytorrent.dht.internal;

import java.net.InetSocketAddress;

/** A DHT node as other nodes describe it: its id and UDP address. */
public record NodeInfo(NodeId id, InetSocketAddress address) {
}
