package io.graytorrent.core.internal.concurrent;

/**
 * Where the engine reads the time. The system's in production; a test's own, moved only when the
 * test says, so that timeouts, snubbing and back-off are tested without waiting.
 */
public interface Clock {

    /** Milliseconds since the epoch, compared only with other readings of this clock. */
    long millis();

    /** A monotonic nanosecond count, for rate meters. */
    long nanos();

    Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };
}
