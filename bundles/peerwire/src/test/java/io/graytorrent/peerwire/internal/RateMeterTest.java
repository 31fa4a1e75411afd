package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Unit
class RateMeterTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(100 * SECOND);
    private final RateMeter meter = new RateMeter(now::get);

    @Test
    void averagesTheWholeSecondsOfTheWindow() {
        meter.add(4000);
        assertEquals(0, meter.perSecond(), "the current second is still filling");
        now.addAndGet(SECOND);
        meter.add(4000);
        now.addAndGet(SECOND);
        assertEquals(2000, meter.perSecond());
    }

    @Test
    void forgetsBytesOlderThanTheWindow() {
        meter.add(8000);
        now.addAndGet(4 * SECOND);
        assertEquals(2000, meter.perSecond());
        now.addAndGet(SECOND);
        assertEquals(0, meter.perSecond());
        now.addAndGet(60 * SECOND);
        meter.add(400);
        now.addAndGet(SECOND);
        assertEquals(100, meter.perSecond());
    }
}
