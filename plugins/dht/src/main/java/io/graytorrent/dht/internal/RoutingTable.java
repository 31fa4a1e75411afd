package io.graytorrent.dht.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The routing table of one address family (BEP 5; BEP 32 keeps IPv4 and IPv6 apart). Bucket
 * {@code i} holds up to K nodes whose ids share exactly {@code i} leading bits with ours; the last
 * bucket holds everything closer, our own id's neighbourhood, and it alone splits when full. A node
 * enters only after it answered one of our queries; a full bucket keeps newcomers in a replacement
 * cache and lets them in as its bad nodes go. At most one node (live or cached) per IP address.
 * BEP 42 verified ids are preferred: one displaces an unverified node of a full bucket.
 * Not thread-safe.
 */
public final class RoutingTable {
    public static final int K = 8;
    static final long QUESTIONABLE_NANOS = TimeUnit.MINUTES.toNanos(15);
    static final long REFRESH_NANOS = TimeUnit.MINUTES.toNanos(15);
    /** Unanswered queries in a row that make a node bad (one is enough for a questionable node). */
    static final int MAX_FAILURES = 2;

    private final NodeId ownId;
    private final LongSupplier nanos;
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<InetAddress, Entry> byIp = new HashMap<>();

    public RoutingTable(NodeId ownId, LongSupplier nanos) {
        this.ownId = ownId;
        this.nanos = nanos;
        buckets.add(new Bucket(nanos.getAsLong()));
    }

    /** One known node and what we know of its health. */
    private static final class Entry {
        NodeInfo node;
        final boolean verified;
        long lastAnswered;
        int failures;

        Entry(NodeInfo node, boolean verified, long now) {
            this.node = node;
            this.verified = verified;
            this.lastAnswered = now;
        }
    }

    private static final class Bucket {
        final List<Entry> live = new ArrayList<>(K);
        final ArrayDeque<Entry> replacements = new ArrayDeque<>(K);
        long lastChanged;

        Bucket(long now) {
            lastChanged = now;
        }
    }

    public NodeId ownId() {
        return ownId;
    }

    /**
     * {@code node} answered a query of ours. Returns a questionable node of its full bucket that the
     * caller should ping (so that, if silent, it is replaced by a cached newcomer), or null.
     */
    public NodeInfo answered(NodeInfo node, boolean verified) {
        if (node.id().equals(ownId)) {
            return null;
        }
        long now = nanos.getAsLong();
        Entry known = byIp.get(node.address().getAddress());
        if (known != null) {
            if (known.node.equals(node)) {
                known.lastAnswered = now;
                known.failures = 0;
                bucketOf(node.id()).lastChanged = now;
                promoteReplacements(bucketOf(node.id()));
            }
            return null; // a second id or port on one address is ignored
        }
        Entry entry = new Entry(node, verified, now);
        while (true) {
            Bucket bucket = bucketOf(node.id());
            if (bucket.live.size() < K) {
                add(bucket, entry, now);
                return null;
            }
            Entry bad = bucket.live.stream().filter(e -> isBad(e, now)).findFirst().orElse(null);
            if (bad != null) {
                remove(bucket, bad);
                add(bucket, entry, now);
                return null;
            }
            if (bucket == last() && buckets.size() < NodeId.BITS) {
                split();
                continue;
            }
            Entry unverified = verified ? oldest(bucket, e -> !e.verified) : null;
            if (unverified != null) {
                remove(bucket, unverified);
                cache(bucket, unverified);
                add(bucket, entry, now);
                return null;
            }
            cache(bucket, entry);
            Entry stale = oldest(bucket, e -> now - e.lastAnswered >= QUESTIONABLE_NANOS);
            return stale == null ? null : stale.node;
        }
    }

    /** {@code node} sent us a query: a known node counts as alive again. */
    public void queried(NodeInfo node) {
        Entry known = byIp.get(node.address().getAddress());
        if (known != null && known.node.equals(node)) {
            known.lastAnswered = nanos.getAsLong();
            known.failures = 0;
        }
    }

    /** A query to {@code address} went unanswered; a bad node makes way for a cached one. */
    public void failed(InetSocketAddress address) {
        Entry known = byIp.get(address.getAddress());
        if (known == null || !known.node.address().equals(address)) {
            return;
        }
        Bucket bucket = bucketOf(known.node.id());
        known.failures++;
        if (bucket.replacements.remove(known)) {
            byIp.remove(address.getAddress());
        } else if (isBad(known, nanos.getAsLong()) && !bucket.replacements.isEmpty()) {
            remove(bucket, known);
            promoteReplacements(bucket);
        }
    }

    /** Whether {@code id} could enter now without waiting for a bad node: worth pinging a stranger. */
    public boolean hasRoomFor(NodeId id) {
        Bucket bucket = bucketOf(id);
        return bucket.live.size() < K || (bucket == last() && buckets.size() < NodeId.BITS);
    }

    /** Up to {@code count} live nodes that are not bad, closest to {@code target} first. */
    public List<NodeInfo> closest(NodeId target, int count) {
        long now = nanos.getAsLong();
        List<NodeInfo> all = new ArrayList<>();
        for (Bucket bucket : buckets) {
            for (Entry e : bucket.live) {
                if (!isBad(e, now)) {
                    all.add(e.node);
                }
            }
        }
        all.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return List.copyOf(all.subList(0, Math.min(count, all.size())));
    }

    /**
     * A random target inside each bucket unchanged for 15 minutes, to look up so that the bucket
     * fills again; each such bucket counts as refreshed from now on.
     */
    public List<NodeId> refreshTargets(RandomGenerator random) {
        long now = nanos.getAsLong();
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket bucket = buckets.get(i);
            if (now - bucket.lastChanged >= REFRESH_NANOS) {
                bucket.lastChanged = now;
                targets.add(ownId.randomWithPrefix(i, random));
            }
        }
        return targets;
    }

    /** Live nodes silent for 15 minutes, the longest silent first, to ping. */
    public List<NodeInfo> questionable(int max) {
        long now = nanos.getAsLong();
        return buckets.stream().flatMap(b -> b.live.stream())
                .filter(e -> now - e.lastAnswered >= QUESTIONABLE_NANOS)
                .sorted(Comparator.comparingLong(e -> e.lastAnswered))
                .limit(max).map(e -> e.node).toList();
    }

    /** Live nodes that answered in the last 15 minutes and have not failed since. */
    public List<NodeInfo> good() {
        long now = nanos.getAsLong();
        return buckets.stream().flatMap(b -> b.live.stream())
                .filter(e -> e.failures == 0 && now - e.lastAnswered < QUESTIONABLE_NANOS).map(e -> e.node).toList();
    }

    /** Live nodes per bucket, bucket 0 (farthest) first. */
    public List<Integer> bucketSizes() {
        return buckets.stream().map(b -> b.live.size()).toList();
    }

    public int size() {
        return buckets.stream().mapToInt(b -> b.live.size()).sum();
    }

    public boolean contains(NodeInfo node) {
        Entry known = byIp.get(node.address().getAddress());
        return known != null && known.node.equals(node) && bucketOf(node.id()).live.contains(known);
    }

    private static boolean isBad(Entry e, long now) {
        return e.failures >= MAX_FAILURES || (e.failures >= 1 && now - e.lastAnswered >= QUESTIONABLE_NANOS);
    }

    private Entry oldest(Bucket bucket, Predicate<Entry> which) {
        return bucket.live.stream().filter(which).min(Comparator.comparingLong(e -> e.lastAnswered)).orElse(null);
    }

    private void add(Bucket bucket, Entry entry, long now) {
        bucket.live.add(entry);
        bucket.lastChanged = now;
        byIp.put(entry.node.address().getAddress(), entry);
    }

    private void remove(Bucket bucket, Entry entry) {
        bucket.live.remove(entry);
        byIp.remove(entry.node.address().getAddress());
    }

    /** Keeps the newest K newcomers; the oldest cached one goes. */
    private void cache(Bucket bucket, Entry entry) {
        if (bucket.replacements.size() >= K) {
            byIp.remove(bucket.replacements.removeFirst().node.address().getAddress());
        }
        bucket.replacements.addLast(entry);
        byIp.put(entry.node.address().getAddress(), entry);
    }

    private void promoteReplacements(Bucket bucket) {
        while (bucket.live.size() < K && !bucket.replacements.isEmpty()) {
            bucket.live.add(bucket.replacements.removeLast());
        }
    }

    private Bucket last() {
        return buckets.get(buckets.size() - 1);
    }

    private Bucket bucketOf(NodeId id) {
        return buckets.get(Math.min(ownId.commonPrefixBits(id), buckets.size() - 1));
    }

    /** The last bucket keeps the nodes sharing exactly its index's bits with us; closer ones move on. */
    private void split() {
        Bucket old = last();
        int index = buckets.size() - 1;
        Bucket next = new Bucket(old.lastChanged);
        buckets.add(next);
        old.live.removeIf(e -> moved(e, index, next.live::add));
        old.replacements.removeIf(e -> moved(e, index, next.replacements::add));
    }

    private boolean moved(Entry e, int index, Consumer<Entry> into) {
        if (ownId.commonPrefixBits(e.node.id()) > index) {
            into.accept(e);
            return true;
        }
        return false;
    }
}
