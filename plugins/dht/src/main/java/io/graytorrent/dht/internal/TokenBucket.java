package io.graytorrent.dht.internal;

import java.util.function.LongSupplier;

/** A token bucket: {@code ratePerSecond} units refill continuously up to {@code burst}. Not thread-safe. */
final class TokenBucket {
    private final LongSupplier nanos;
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    TokenBucket(LongSupplier nanos, double ratePerSecond, double burst) {
        this.nanos = nanos;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nanos.getAsLong();
    }

    /** Takes {@code amount} if that many are there. */
    boolean tryTake(double amount) {
        return tryTake(amount, 0);
    }

    /** Takes {@code amount} if that many are there and {@code reserve} would be left: room kept for takers without a reserve. */
    boolean tryTake(double amount, double reserve) {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        if (tokens - reserve < amount) {
            return false;
        }
        tokens -= amount;
        return true;
    }
}
