package io.graytorrent.core.internal.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class RequestQueueSizerTest {

    @Test
    void depthCoversThreeSecondsOfTheMeasuredRate() {
        assertEquals(192, RequestQueueSizer.depth(1024 * 1024, 0)); // 3 MiB / 16 KiB
        assertEquals(19, RequestQueueSizer.depth(100_000, 0));
    }

    @Test
    void anUnmeasuredOrSlowPeerStillGetsAFewRequests() {
        assertEquals(4, RequestQueueSizer.depth(0, 0));
        assertEquals(4, RequestQueueSizer.depth(5_000, 250));
    }

    @Test
    void depthNeverExceedsThePeersReqqOrOurOwnCap() {
        assertEquals(250, RequestQueueSizer.depth(1L << 40, 0));
        assertEquals(100, RequestQueueSizer.depth(1L << 40, 100));
        assertEquals(500, RequestQueueSizer.depth(1L << 40, 100_000));
        assertEquals(2, RequestQueueSizer.depth(1024 * 1024, 2));
    }

    @Test
    void negativeInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RequestQueueSizer.depth(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> RequestQueueSizer.depth(0, -1));
    }
}
