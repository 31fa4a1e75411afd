package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.storage.StorageException;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@Unit
class BoundedDiskPoolTest {
    private final BoundedDiskPool pool = new BoundedDiskPool(1, 100, 40);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
    }

    private CompletableFuture<String> blocked(long bytes) {
        return pool.submit(bytes, () -> {
            release.await(10, TimeUnit.SECONDS);
            return Thread.currentThread().getName();
        });
    }

    @Test
    void pendingBytesSignalOverloadUntilTheyDrainBelowTheLowWatermark() {
        CompletableFuture<String> first = blocked(60);
        CompletableFuture<String> second = blocked(50);
        assertEquals(110, pool.pendingBytes());
        assertTrue(pool.isOverloaded());
        CompletableFuture<Void> drained = pool.whenDrained();
        assertFalse(drained.isDone());

        release.countDown();
        drained.orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(pool.pendingBytes() <= 40);
        assertTrue(second.join().startsWith("gray-disk-"), "work runs on the disk pool");
        assertTrue(first.isDone());
        assertEquals(0, pool.pendingBytes());
        assertFalse(pool.isOverloaded());
        assertTrue(pool.whenDrained().isDone(), "already drained: completes at once");
    }

    @Test
    void newWatermarksAndThreadsApplyWhileWorkIsPending() {
        CompletableFuture<String> first = blocked(60);
        CompletableFuture<Void> drained = pool.whenDrained();
        assertFalse(pool.isOverloaded(), "60 is below the high watermark of 100");
        assertFalse(drained.isDone(), "60 is above the low watermark of 40");

        pool.reconfigure(2, 50, 70);
        assertTrue(pool.isOverloaded(), "60 is above the new high watermark of 50");
        assertTrue(drained.isDone(), "60 is below the new low watermark: the waiter is released at once");
        assertEquals(2, pool.threads());
        CompletableFuture<String> second = pool.submit(1, () -> "beside the blocked one");
        assertEquals("beside the blocked one", second.orTimeout(10, TimeUnit.SECONDS).join(),
                "the second thread runs work while the first is blocked");
        pool.reconfigure(1, 100, 40);
        assertEquals(1, pool.threads());
        release.countDown();
        first.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void failuresBecomeStorageExceptionsAndStillReleaseTheirBytes() {
        CompletableFuture<Object> failed = pool.submit(30, () -> {
            throw new IOException("No space left on device");
        });
        try {
            failed.orTimeout(10, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            assertEquals(StorageException.Reason.DISK_FULL, ((StorageException) e.getCause()).reason());
        }
        assertTrue(failed.isCompletedExceptionally());
        assertEquals(0, pool.pendingBytes());
    }

    @Test
    void workAfterCloseFailsAsClosed() {
        pool.close();
        CompletableFuture<String> late = pool.submit(10, () -> "never");
        assertTrue(late.isCompletedExceptionally());
        assertEquals(0, pool.pendingBytes());
    }
}
