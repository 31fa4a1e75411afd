package io.graytorrent.core.internal.limit;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Byte-rate limiter: tokens accrue at the configured rate up to one second's worth (the burst),
 * and {@link #take} grants what is there, never more, so the balance never goes negative and
 * over any interval T no more than rate × T + burst bytes pass. Sub-byte credit is carried
 * over, so frequent small refills at a low rate do not round down to nothing.
 *
 * <p>Thread-safe: the global bucket is shared by every torrent's executor and event loop.
 */
public final class TokenBucket {

    /** Rate value meaning "no limit". */
    public static final long UNLIMITED = 0;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private long rate;
    private long tokens;
    /** Credit below one byte, in byte-nanoseconds per second (always < NANOS_PER_SECOND). */
    private long remainder;
    private long lastRefill;

    public TokenBucket(long bytesPerSecond, LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.lastRefill = nanoClock.getAsLong();
        setRate(bytesPerSecond);
    }

    /** Grants up to {@code wanted} bytes now (possibly 0); unlimited buckets grant everything. */
    public synchronized long take(long wanted) {
        if (wanted < 0) {
            throw new IllegalArgumentException("wanted must not be negative: " + wanted);
        }
        if (rate == UNLIMITED) {
            return wanted;
        }
        refill();
        long granted = Math.min(wanted, tokens);
        tokens -= granted;
        return granted;
    }

    /**
     * How long until {@code bytes} (at most one burst: more can never be granted at once) are
     * available; 0 when they are now.
     */
    public synchronized long nanosUntilAvailable(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        if (rate == UNLIMITED) {
            return 0;
        }
        refill();
        long deficit = Math.min(bytes, rate) - tokens;
        if (deficit <= 0) {
            return 0;
        }
        // deficit <= rate, so this is at most one second; the +1 absorbs double rounding
        return (long) Math.ceil((deficit * (double) NANOS_PER_SECOND - remainder) / rate) + 1;
    }

    /** Changes the rate (0 = unlimited); tokens above the new burst are dropped. */
    public synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + bytesPerSecond);
        }
        if (rate != UNLIMITED) {
            refill();
        }
        boolean wasUnlimited = rate == UNLIMITED;
        rate = bytesPerSecond;
        lastRefill = nanoClock.getAsLong();
        tokens = wasUnlimited ? rate : Math.min(tokens, rate);
    }

    public synchronized long rate() {
        return rate;
    }

    /** Returns bytes granted but not used (by {@link RateLimits} when the other bucket gave less). */
    synchronized void giveBack(long bytes) {
        if (rate != UNLIMITED) {
            tokens = Math.min(rate, tokens + bytes);
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefill;
        if (elapsed <= 0) {
            return; // a clock that stepped back must not credit the same time twice later
        }
        lastRefill = now;
        if (elapsed >= NANOS_PER_SECOND || rate > (Long.MAX_VALUE - NANOS_PER_SECOND) / elapsed) {
            tokens = rate;
            remainder = 0;
            return;
        }
        long credit = elapsed * rate + remainder;
        tokens += credit / NANOS_PER_SECOND;
        remainder = credit % NANOS_PER_SECOND;
        if (tokens >= rate) {
            tokens = rate;
            remainder = 0;
        }
    }
}
