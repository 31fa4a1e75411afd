package io.graytorrent.core.internal.limit;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;

/**
 * The per-torrent rate buckets of one direction ({@code torrentDownloadRateLimit} or
 * {@code torrentUploadRateLimit}), so that a new limit reaches every torrent's bucket at once. A bucket
 * is held weakly: a removed torrent's bucket goes with it. Thread-safe.
 */
public final class TorrentBuckets {
    private final Set<TokenBucket> buckets = Collections.newSetFromMap(new WeakHashMap<>());
    private final LongSupplier nanoClock;
    private long rate;

    public TorrentBuckets(long bytesPerSecond, LongSupplier nanoClock) {
        this.rate = bytesPerSecond;
        this.nanoClock = nanoClock;
    }

    /** A new torrent's bucket at the current rate, following every later change. */
    public synchronized TokenBucket create() {
        TokenBucket bucket = new TokenBucket(rate, nanoClock);
        buckets.add(bucket);
        return bucket;
    }

    public synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond == rate) {
            return;
        }
        rate = bytesPerSecond;
        buckets.forEach(bucket -> bucket.setRate(bytesPerSecond));
    }
}
