package io.graytorrent.control.internal.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Slows down guessing the token: after {@code maxFailures} failed logins within {@code window}, logins
 * are refused until the oldest of those failures leaves the window. One limiter for the endpoint (it
 * listens on loopback, where every client has the same address). Thread-safe.
 */
public final class LoginLimiter {
    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<Long> failures = new ArrayDeque<>();

    public LoginLimiter(int maxFailures, Duration window, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Seconds until a login may be tried again; 0 when it may now. */
    synchronized long retryAfterSeconds() {
        long now = nanoClock.getAsLong();
        while (!failures.isEmpty() && now - failures.peekFirst() >= windowNanos) {
            failures.removeFirst();
        }
        if (failures.size() < maxFailures) {
            return 0;
        }
        long waitNanos = failures.peekFirst() + windowNanos - now;
        return Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
    }

    synchronized void failed() {
        failures.addLast(nanoClock.getAsLong());
        while (failures.size() > maxFailures) {
            failures.removeFirst();
        }
    }
}
