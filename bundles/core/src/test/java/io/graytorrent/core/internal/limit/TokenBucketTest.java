package io.graytorrent.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Unit
class TokenBucketTest {

    private static final long RATE = 100_000;

    private final FakeClock clock = new FakeClock();

    @Test
    void manyTakersOverTenSecondsGetTheRateAndNeverMore() {
        TokenBucket bucket = new TokenBucket(RATE, clock);
        Random random = new Random(9);
        long total = 0;
        for (int millis = 0; millis < 10_000; millis++) {
            clock.advanceMillis(1);
            for (int taker = 0; taker < 20; taker++) {
                long granted = bucket.take(1 + random.nextInt(32 * 1024));
                assertTrue(granted >= 0);
                total += granted;
            }
        }
        long burst = RATE;
        assertTrue(total <= RATE * 10 + burst, "over the limit: " + total);
        assertTrue(total >= RATE * 10, "starved below the rate: " + total);
    }

    @Test
    void concurrentTakersNeverOverdrawTheBucket() throws InterruptedException {
        AtomicLong nanos = new AtomicLong();
        TokenBucket bucket = new TokenBucket(RATE, nanos::get);
        AtomicLong total = new AtomicLong();
        Thread[] takers = new Thread[4];
        for (int i = 0; i < takers.length; i++) {
            takers[i] = new Thread(() -> {
                for (int step = 0; step < 50_000; step++) {
                    nanos.addAndGet(10_000); // each take moves time on by 10 µs
                    total.addAndGet(bucket.take(4096));
                }
            });
            takers[i].start();
        }
        for (Thread taker : takers) {
            taker.join(30_000);
        }
        long elapsedSeconds = nanos.get() / 1_000_000_000L; // 2 s
        assertTrue(total.get() <= RATE * elapsedSeconds + RATE, "overdrawn: " + total.get());
        assertTrue(total.get() >= RATE * elapsedSeconds, "starved: " + total.get());
    }

    @Test
    void aSingleSmallTakerAtALowRateIsNotStarvedByRounding() {
        TokenBucket bucket = new TokenBucket(1000, clock);
        bucket.take(1000); // empty the initial burst
        long total = 0;
        for (int step = 0; step < 200_000; step++) { // 2 s in 10 µs steps: 0.01 byte accrues per step
            clock.advanceNanos(10_000);
            total += bucket.take(1);
        }
        assertEquals(2000, total);
    }

    @Test
    void idleTimeBanksAtMostOneSecondOfRate() {
        TokenBucket bucket = new TokenBucket(RATE, clock);
        clock.advanceMillis(3_600_000);
        assertEquals(RATE, bucket.take(Long.MAX_VALUE));
        assertEquals(0, bucket.take(1), "never a negative balance");
    }

    @Test
    void nanosUntilAvailableSaysWhenTheBytesCanBeTaken() {
        TokenBucket bucket = new TokenBucket(1000, clock);
        bucket.take(1000);
        long wait = bucket.nanosUntilAvailable(500);
        assertTrue(wait >= 500_000_000L && wait <= 500_000_002L, "wait " + wait);
        clock.advanceNanos(wait - 2);
        assertTrue(bucket.take(500) < 500);
        clock.advanceNanos(wait);
        assertEquals(500, bucket.take(500));
        assertEquals(0, new TokenBucket(1000, clock).nanosUntilAvailable(1000));
        bucket.take(1000);
        assertTrue(bucket.nanosUntilAvailable(Long.MAX_VALUE) <= 1_000_000_001L, "capped at one burst");
    }

    @Test
    void zeroMeansUnlimitedAndTheRateCanChangeLive() {
        TokenBucket bucket = new TokenBucket(TokenBucket.UNLIMITED, clock);
        assertEquals(1L << 40, bucket.take(1L << 40));
        assertEquals(0, bucket.nanosUntilAvailable(1L << 40));

        bucket.setRate(1000);
        assertEquals(1000, bucket.take(5000));
        assertEquals(0, bucket.take(1));
        clock.advanceMillis(500);
        bucket.setRate(100); // the 500 accrued at the old rate are capped to the new burst
        assertEquals(100, bucket.take(5000));
        bucket.setRate(TokenBucket.UNLIMITED);
        assertEquals(5000, bucket.take(5000));
    }

    @Test
    void negativeInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(-1, clock));
        TokenBucket bucket = new TokenBucket(10, clock);
        assertThrows(IllegalArgumentException.class, () -> bucket.take(-1));
        assertThrows(IllegalArgumentException.class, () -> bucket.nanosUntilAvailable(-1));
        assertThrows(IllegalArgumentException.class, () -> bucket.setRate(-5));
    }
}
