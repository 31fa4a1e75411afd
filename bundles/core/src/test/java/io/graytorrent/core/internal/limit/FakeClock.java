package io.graytorrent.core.internal.limit;

import java.util.function.LongSupplier;

/** A nanosecond clock the test moves by hand. */
final class FakeClock implements LongSupplier {

    private long nanos = 123_456_789L; // any origin: buckets must only use differences

    void advanceNanos(long delta) {
        nanos += delta;
    }

    void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    @Override
    public long getAsLong() {
        return nanos;
    }
}
