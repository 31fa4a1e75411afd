package io.graytorrent.pex.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful firewall (or NAT) on a test node's UDP socket, as holepunching meets it: traffic an
 * address has not been sent first is dropped. {@link #guardInbound} puts it in front of this node:
 * datagrams from the address are dropped until we sent it one. {@link #guardOutbound} puts it in front
 * of the other side, a peer whose socket we cannot wrap (libtorrent): our datagrams to it are dropped
 * until one from it arrived, which is what its firewall would do with them. Thread-safe.
 */
final class UdpFirewall {
    private final Set<InetAddress> inboundGuarded = ConcurrentHashMap.newKeySet();
    private final Set<InetAddress> outboundGuarded = ConcurrentHashMap.newKeySet();
    private final Set<InetAddress> sentTo = ConcurrentHashMap.newKeySet();
    private final Set<InetAddress> heardFrom = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropped = new AtomicInteger();

    void guardInbound(InetAddress from) {
        inboundGuarded.add(from);
    }

    void guardOutbound(InetAddress to) {
        outboundGuarded.add(to);
    }

    /** Whether a datagram to {@code to} leaves; one that does opens the way back. */
    boolean passesOut(InetSocketAddress to) {
        InetAddress ip = to.getAddress();
        if (outboundGuarded.contains(ip) && !heardFrom.contains(ip)) {
            dropped.incrementAndGet();
            return false;
        }
        sentTo.add(ip);
        return true;
    }

    /** Whether a datagram from {@code from} arrives; one that does opens the way there. */
    boolean passesIn(InetSocketAddress from) {
        InetAddress ip = from.getAddress();
        if (inboundGuarded.contains(ip) && !sentTo.contains(ip)) {
            dropped.incrementAndGet();
            return false;
        }
        heardFrom.add(ip);
        return true;
    }

    /** Datagrams dropped so far: the direct attempts it stopped. */
    int dropped() {
        return dropped.get();
    }
}
