package io.graytorrent.dht.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Peers announced to us, per infohash, each forgotten 30 minutes after its last announce. Bounded:
 * a full infohash drops its oldest peer for a new one; when the store holds its most infohashes, a
 * new infohash is refused until others expire (so a flood cannot push out what is stored).
 * Not thread-safe.
 */
public final class PeerStore {
    static final long EXPIRY_NANOS = TimeUnit.MINUTES.toNanos(30);

    private final LongSupplier nanos;
    private final int maxPeersPerInfoHash;
    private final int maxInfoHashes;
    /** Per infohash, peers in announce order with the time each was announced. */
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> swarms = new HashMap<>();
    private int peerCount;

    public PeerStore(LongSupplier nanos, int maxPeersPerInfoHash, int maxInfoHashes) {
        this.nanos = nanos;
        this.maxPeersPerInfoHash = maxPeersPerInfoHash;
        this.maxInfoHashes = maxInfoHashes;
    }

    /** Records {@code peer} for {@code infoHash}; false if refused because the store is full. */
    public boolean announce(NodeId infoHash, InetSocketAddress peer) {
        LinkedHashMap<InetSocketAddress, Long> peers = swarms.get(infoHash);
        if (peers == null) {
            if (swarms.size() >= maxInfoHashes) {
                expireAll();
                if (swarms.size() >= maxInfoHashes) {
                    return false;
                }
            }
            peers = new LinkedHashMap<>();
            swarms.put(infoHash, peers);
        }
        if (peers.remove(peer) == null) {
            peerCount++;
        }
        peers.put(peer, nanos.getAsLong());
        if (peers.size() > maxPeersPerInfoHash) {
            Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
            oldest.next();
            oldest.remove();
            peerCount--;
        }
        return true;
    }

    /** Compact peers of one family for {@code infoHash}, most recently announced first, at most {@code max}. */
    public List<byte[]> peers(NodeId infoHash, boolean ipv6, int max) {
        LinkedHashMap<InetSocketAddress, Long> peers = swarms.get(infoHash);
        if (peers == null) {
            return List.of();
        }
        if (expire(peers)) {
            swarms.remove(infoHash);
            return List.of();
        }
        List<InetSocketAddress> newestFirst = new ArrayList<>(peers.keySet());
        List<byte[]> values = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0 && values.size() < max; i--) {
            InetSocketAddress peer = newestFirst.get(i);
            if ((peer.getAddress() instanceof Inet6Address) == ipv6) {
                values.add(CompactAddresses.peer(peer));
            }
        }
        return values;
    }

    public void expireAll() {
        swarms.values().removeIf(this::expire);
    }

    public int infoHashCount() {
        return swarms.size();
    }

    public int peerCount() {
        return peerCount;
    }

    /** Drops the expired peers of one swarm; true if none is left (the caller removes it). */
    private boolean expire(LinkedHashMap<InetSocketAddress, Long> peers) {
        long now = nanos.getAsLong();
        Iterator<Long> announced = peers.values().iterator();
        while (announced.hasNext() && now - announced.next() >= EXPIRY_NANOS) {
            announced.remove(); // announce order is time order, so the expired ones come first
            peerCount--;
        }
        return peers.isEmpty();
    }
}
