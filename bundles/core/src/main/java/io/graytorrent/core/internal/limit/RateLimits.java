package io.graytorrent.core.internal.limit;

import java.util.Objects;

/**
 * One direction's limits for one torrent: the engine-wide bucket and the torrent's own. A grant
 * is the smaller of what both allow, and the same amount is consumed from both. Thread-safe as
 * its buckets are; concurrent takers of one torrent may briefly see less than is there, never more.
 */
public final class RateLimits {

    private final TokenBucket global;
    private final TokenBucket torrent;

    public RateLimits(TokenBucket global, TokenBucket torrent) {
        this.global = Objects.requireNonNull(global, "global");
        this.torrent = Objects.requireNonNull(torrent, "torrent");
    }

    /** Grants up to {@code wanted} bytes within both limits. */
    public long take(long wanted) {
        // the torrent's bucket first: it is less contended, and its surplus goes straight back
        long fromTorrent = torrent.take(wanted);
        long granted = global.take(fromTorrent);
        torrent.giveBack(fromTorrent - granted);
        return granted;
    }

    /** How long until both buckets can grant {@code bytes}; 0 when they can now. */
    public long nanosUntilAvailable(long bytes) {
        return Math.max(global.nanosUntilAvailable(bytes), torrent.nanosUntilAvailable(bytes));
    }

    public TokenBucket global() {
        return global;
    }

    public TokenBucket torrent() {
        return torrent;
    }
}
