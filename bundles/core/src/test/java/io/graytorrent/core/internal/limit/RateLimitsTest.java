package io.graytorrent.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class RateLimitsTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void aGrantIsTheSmallerLimitAndConsumesTheSameFromBoth() {
        TokenBucket global = new TokenBucket(1000, clock);
        TokenBucket torrent = new TokenBucket(300, clock);
        RateLimits limits = new RateLimits(global, torrent);

        assertEquals(300, limits.take(5000));
        assertEquals(0, torrent.take(1));
        assertEquals(700, global.take(5000));
    }

    @Test
    void whatTheGlobalBucketRefusesIsNotLostFromTheTorrentBucket() {
        TokenBucket global = new TokenBucket(100, clock);
        TokenBucket torrent = new TokenBucket(1000, clock);
        RateLimits limits = new RateLimits(global, torrent);

        assertEquals(100, limits.take(400));
        assertEquals(900, torrent.take(5000));
    }

    @Test
    void twoTorrentsSharingTheGlobalLimitTogetherStayWithinItAndEachWithinItsOwn() {
        TokenBucket global = new TokenBucket(100_000, clock);
        RateLimits first = new RateLimits(global, new TokenBucket(30_000, clock));
        RateLimits second = new RateLimits(global, new TokenBucket(TokenBucket.UNLIMITED, clock));
        long firstTotal = 0;
        long secondTotal = 0;
        for (int millis = 0; millis < 10_000; millis++) {
            clock.advanceMillis(1);
            firstTotal += first.take(16 * 1024);
            secondTotal += second.take(16 * 1024);
        }
        assertTrue(firstTotal <= 30_000 * 10 + 30_000, "first over its own limit: " + firstTotal);
        assertTrue(firstTotal >= 30_000 * 10 * 9 / 10, "first starved: " + firstTotal);
        long both = firstTotal + secondTotal;
        assertTrue(both <= 100_000 * 10 + 100_000, "over the global limit: " + both);
        assertTrue(both >= 100_000 * 10, "global rate not reached: " + both);
        assertEquals(0, first.nanosUntilAvailable(0));
    }
}
