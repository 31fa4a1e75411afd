package io.graytorrent.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class TorrentBucketsTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void aNewRateReachesEveryTorrentsBucketAndTheNextOnes() {
        TorrentBuckets buckets = new TorrentBuckets(TokenBucket.UNLIMITED, clock);
        TokenBucket first = buckets.create();
        TokenBucket second = buckets.create();
        assertEquals(1_000_000, first.take(1_000_000), "unlimited at first");

        buckets.setRate(50_000);
        clock.advanceMillis(1_000);
        assertEquals(50_000, first.take(1_000_000), "one second's worth at the new rate");
        assertEquals(50_000, second.take(1_000_000));
        assertEquals(50_000, buckets.create().rate(), "a torrent added later starts at the new rate");

        buckets.setRate(TokenBucket.UNLIMITED);
        assertEquals(1_000_000, second.take(1_000_000), "lifted at once");
    }
}
