package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Unit
class UnansweredTransportsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.5", 6881);
    private final AtomicLong now = new AtomicLong(-5);
    private final UnansweredTransports unanswered = new UnansweredTransports(now::get);

    @Test
    void remembersPerAddressAndTransportUntilAnsweredOrAnHourPassed() {
        assertFalse(unanswered.lately(PEER, "utp"));
        unanswered.noAnswer(PEER, "utp");
        assertTrue(unanswered.lately(PEER, "utp"));
        assertFalse(unanswered.lately(PEER, "other"));
        assertFalse(unanswered.lately(new InetSocketAddress("127.0.0.5", 6882), "utp"));

        now.addAndGet(UnansweredTransports.FORGET_NANOS - 1);
        assertTrue(unanswered.lately(PEER, "utp"));
        now.incrementAndGet();
        assertFalse(unanswered.lately(PEER, "utp"), "forgotten after an hour");
        assertEquals(0, unanswered.size());

        unanswered.noAnswer(PEER, "utp");
        unanswered.answered(PEER, "utp");
        assertFalse(unanswered.lately(PEER, "utp"), "forgotten once it answered");
    }

    @Test
    void keepsAtMostItsBoundForgettingTheOldestFirst() {
        for (int i = 0; i < UnansweredTransports.MAX + 10; i++) {
            unanswered.noAnswer(new InetSocketAddress("10.0." + (i >> 8) + "." + (i & 255), 6881), "utp");
        }
        assertEquals(UnansweredTransports.MAX, unanswered.size());
        assertFalse(unanswered.lately(new InetSocketAddress("10.0.0.0", 6881), "utp"));
        assertTrue(unanswered.lately(new InetSocketAddress("10.0.0.10", 6881), "utp"));
    }
}
