package io.graytorrent.dht.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per source IP, a token bucket of datagrams; an IP that empties its bucket is ignored for a while.
 * Remembers a bounded number of IPs (least recently heard forgotten first). Not thread-safe.
 */
final class InboundLimiter {
    private final LongSupplier nanos;
    private final double perSecond;
    private final double burst;
    private final long blockNanos;
    private final Map<InetAddress, Source> sources;

    private static final class Source {
        final TokenBucket bucket;
        long blockedUntil;

        Source(TokenBucket bucket, long now) {
            this.bucket = bucket;
            this.blockedUntil = now;
        }
    }

    InboundLimiter(LongSupplier nanos, double perSecond, double burst, long blockNanos, int maxSources) {
        this.nanos = nanos;
        this.perSecond = perSecond;
        this.burst = burst;
        this.blockNanos = blockNanos;
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Source> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Whether to handle a datagram from {@code ip} now. */
    boolean allow(InetAddress ip) {
        long now = nanos.getAsLong();
        Source source = sources.computeIfAbsent(ip, k -> new Source(new TokenBucket(nanos, perSecond, burst), now));
        if (now - source.blockedUntil < 0) {
            return false;
        }
        if (!source.bucket.tryTake(1)) {
            source.blockedUntil = now + blockNanos;
            return false;
        }
        return true;
    }

    /** IPs remembered now: at most the {@code maxSources} given. */
    int sources() {
        return sources.size();
    }
}
