package io.graytorrent.utp.internal.protocol;

/**
 * One-way delay samples (the peer's {@code timestamp_difference}: its clock when our packet arrived
 * minus our clock when we sent it, modulo 2^32) turned into queuing delay: the sample less the
 * base delay, the lowest sample of the last two minutes. The two clocks' offset cancels out; their
 * drift cannot pile up, since the base is rebuilt from per-minute minima as minutes pass (and
 * falls at once when a sample is lower). The last few samples' minimum filters out jitter.
 */
final class DelayHistory {
    private static final long MINUTE = 60_000_000;
    private static final int BUCKETS = 2;
    private static final int RECENT = 3;

    private final long[] minima = new long[BUCKETS];
    private final long[] recent = new long[RECENT];
    private int recentCount;
    private int recentNext;
    private int bucket;
    private long bucketStart = Long.MIN_VALUE;
    private boolean any;

    /** Takes a sample at {@code now} (our clock, microseconds). */
    void add(long sample, long now) {
        if (!any) {
            java.util.Arrays.fill(minima, sample);
            bucketStart = now;
            any = true;
        } else if (now - bucketStart >= MINUTE) {
            bucket = (bucket + 1) % BUCKETS;
            minima[bucket] = sample;
            bucketStart = now;
        } else if (lower(sample, minima[bucket])) {
            minima[bucket] = sample;
        }
        for (int i = 0; i < BUCKETS; i++) {
            if (lower(sample, minima[i])) {
                minima[i] = sample; // a clock drifting down: the base follows at once
            }
        }
        recent[recentNext] = sample;
        recentNext = (recentNext + 1) % RECENT;
        recentCount = Math.min(recentCount + 1, RECENT);
    }

    /** The queuing delay now, microseconds (0 before any sample). */
    long queuingDelay() {
        if (!any) {
            return 0;
        }
        long base = minima[0];
        for (long minimum : minima) {
            if (lower(minimum, base)) {
                base = minimum;
            }
        }
        long filtered = recent[0];
        for (int i = 1; i < recentCount; i++) {
            if (lower(recent[i], filtered)) {
                filtered = recent[i];
            }
        }
        return Math.max(0, (int) (filtered - base));
    }

    /** Whether a is lower than b as 32-bit timestamps that wrap. */
    private static boolean lower(long a, long b) {
        return (int) (a - b) < 0;
    }
}
