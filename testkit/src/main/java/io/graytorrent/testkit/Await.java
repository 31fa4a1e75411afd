package io.graytorrent.testkit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Waiting on a condition instead of sleeping: polls until it holds and fails with what was awaited
 * once the time is up. Time limits are generous on purpose; a test on a quiet machine never waits
 * them out, and a loaded one gets through.
 */
public final class Await {
    /** Between polls: short enough not to slow a test, long enough not to spin a shared core. */
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** A check that may throw, e.g. one that asks a server. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** A value that may take effort to get, e.g. a status read from a process. */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    /** Returns once {@code condition} holds; fails with "{@code what} within {@code limit}" if it never does. */
    public static void until(String what, Duration limit, Condition condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + limit);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Checks {@code condition} throughout {@code period} and fails as soon as it does not hold:
     * for what must stay true while time passes (a connection kept open, nothing sent).
     */
    public static void throughout(String what, Duration period, Condition condition) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.holds()) {
                throw new AssertionError(what + ": stopped holding within " + period);
            }
            Thread.sleep(POLL_MILLIS);
        } while (System.nanoTime() - end < 0);
        if (!condition.holds()) {
            throw new AssertionError(what + ": stopped holding within " + period);
        }
    }

    /**
     * Reads {@code probe} until its value passes {@code accepted} and returns that value; the
     * failure names the last value read.
     */
    public static <T> T value(String what, Duration limit, Probe<T> probe, Predicate<? super T> accepted)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T value = probe.read();
        while (!accepted.test(value)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + limit + ", last " + value);
            }
            Thread.sleep(POLL_MILLIS);
            value = probe.read();
        }
        return value;
    }

    /**
     * The future's value, or what it failed with, unwrapped; fails if it is not done within
     * {@code limit}.
     */
    public static <T> T done(CompletableFuture<T> future, Duration limit) throws Exception {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + limit, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
