package io.graytorrent.dht.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact binary forms of BEP 5 and BEP 32. Peers: address then big-endian port, 6 bytes for
 * IPv4, 18 for IPv6. Nodes: 20-byte id then a compact peer, 26 bytes in {@code nodes} (IPv4), 38 in
 * {@code nodes6} (IPv6). Readers drop a trailing partial entry and entries with port 0.
 */
public final class CompactAddresses {
    public static final int IPV4_PEER = 6;
    public static final int IPV6_PEER = 18;
    public static final int IPV4_NODE = NodeId.LENGTH + IPV4_PEER;
    public static final int IPV6_NODE = NodeId.LENGTH + IPV6_PEER;

    private CompactAddresses() {
    }

    public static byte[] peer(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) address.getPort()).array();
    }

    /** A compact peer of 6 or 18 bytes, or null for any other length or port 0. */
    public static InetSocketAddress readPeer(byte[] compact) {
        if (compact.length != IPV4_PEER && compact.length != IPV6_PEER) {
            return null;
        }
        int port = ((compact[compact.length - 2] & 0xff) << 8) | (compact[compact.length - 1] & 0xff);
        if (port == 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(compact, compact.length - 2)), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // 4 or 16 bytes are always an address
        }
    }

    /** Nodes of one family packed back to back; nodes of the other family are skipped. */
    public static byte[] nodes(List<NodeInfo> nodes, boolean ipv6) {
        ByteBuffer out = ByteBuffer.allocate(nodes.size() * (ipv6 ? IPV6_NODE : IPV4_NODE));
        for (NodeInfo node : nodes) {
            if ((node.address().getAddress() instanceof Inet4Address) != ipv6) {
                out.put(node.id().bytes()).put(peer(node.address()));
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Reads at most {@code max} nodes of 26 (IPv4) or 38 (IPv6) bytes each. */
    public static List<NodeInfo> readNodes(byte[] compact, boolean ipv6, int max) {
        int size = ipv6 ? IPV6_NODE : IPV4_NODE;
        List<NodeInfo> nodes = new ArrayList<>();
        for (int at = 0; at + size <= compact.length && nodes.size() < max; at += size) {
            InetSocketAddress address = readPeer(Arrays.copyOfRange(compact, at + NodeId.LENGTH, at + size));
            if (address != null) {
                nodes.add(new NodeInfo(NodeId.of(Arrays.copyOfRange(compact, at, at + NodeId.LENGTH)), address));
            }
        }
        return nodes;
    }
}
