package io.graytorrent.peerwire.internal;

import java.util.function.LongSupplier;

/**
 * Bytes per second over the last few whole seconds, in one-second buckets. Written by one event
 * loop, read by the engine's threads; the lock is uncontended almost always.
 */
final class RateMeter {
    private static final int WINDOW_SECONDS = 5;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final long[] buckets = new long[WINDOW_SECONDS];
    private long currentSecond;

    RateMeter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.currentSecond = nanoClock.getAsLong() / NANOS_PER_SECOND;
    }

    synchronized void add(long bytes) {
        advance();
        buckets[(int) (currentSecond % WINDOW_SECONDS)] += bytes;
    }

    /** The average over the whole seconds before the current one, which is still filling. */
    synchronized long perSecond() {
        advance();
        long sum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            sum += buckets[i];
        }
        return (sum - buckets[(int) (currentSecond % WINDOW_SECONDS)]) / (WINDOW_SECONDS - 1);
    }

    private void advance() {
        long second = nanoClock.getAsLong() / NANOS_PER_SECOND;
        for (long s = currentSecond + 1; s <= second && s <= currentSecond + WINDOW_SECONDS; s++) {
            buckets[(int) (s % WINDOW_SECONDS)] = 0;
        }
        currentSecond = Math.max(currentSecond, second);
    }
}
