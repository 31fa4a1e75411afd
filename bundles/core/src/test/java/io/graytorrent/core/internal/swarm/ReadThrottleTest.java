package io.graytorrent.core.internal.swarm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.storage.DiskPool;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@Unit
class ReadThrottleTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final FakeDisk disk = new FakeDisk();
    private final FakeConnection connection = new FakeConnection(new InetSocketAddress("127.0.0.1", 6881), Capabilities.NONE);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private ReadThrottle throttle(long bytesPerSecond) {
        return new ReadThrottle(new RateLimits(new TokenBucket(0, System::nanoTime),
                new TokenBucket(bytesPerSecond, System::nanoTime)), disk, timer);
    }

    @Test
    void aConnectionOverTheLimitIsNotReadUntilItsDebtIsPaid() throws Exception {
        ReadThrottle throttle = throttle(100_000); // the bucket starts with one second's worth
        throttle.connected(connection);
        long start = System.nanoTime(); // before the debt arises: a thread paused after it must not shorten the wait seen
        throttle.received(connection, 120_000);
        throttle.handled(connection, 120_000);
        assertFalse(connection.reading, "20000 bytes over the limit");
        Await.until("reading again once paid", Duration.ofSeconds(10), () -> connection.reading);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(connection.reading, "reading again once paid");
        assertTrue(millis >= 150, "the debt took about 200 ms to pay, not " + millis);
    }

    @Test
    void aBacklogOnTheExecutorOrAnOverloadedDiskStopsReading() {
        ReadThrottle throttle = throttle(0);
        throttle.connected(connection);
        throttle.received(connection, 3 << 20);
        assertTrue(connection.reading);
        throttle.received(connection, 2 << 20);
        assertFalse(connection.reading, "over 4 MiB wait for the executor");
        throttle.handled(connection, 3 << 20);
        assertTrue(connection.reading);

        disk.overloaded = true;
        throttle.checkDisk();
        assertFalse(connection.reading, "the disk is behind");
        disk.overloaded = false;
        disk.drained.complete(null);
        assertTrue(connection.reading, "the disk caught up");
    }

    private static final class FakeDisk implements DiskPool {
        volatile boolean overloaded;
        final CompletableFuture<Void> drained = new CompletableFuture<>();

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public boolean isOverloaded() {
            return overloaded;
        }

        @Override
        public CompletableFuture<Void> whenDrained() {
            return drained;
        }
    }
}
