package io.graytorrent.core.internal.concurrent;

/** A clock that moves only when the test says; thread-safe, so a real timer's tasks may read it. */
public final class FakeClock implements Clock {
    private volatile long millis = 1_000_000;

    public void advance(long byMillis) {
        millis += byMillis;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public long nanos() {
        return millis * 1_000_000;
    }
}
