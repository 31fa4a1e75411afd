package io.graytorrent.utp.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

/** LEDBAT's window and delay rules alone, then a uTP flow on a bottleneck, alone and beside a TCP-like flow. */
@Unit
class LedbatTest {
    private static final long SECOND = 1_000_000;
    private static final long MS = 1_000;

    @Test
    void slowStartDoublesUntilTheDelayNearsTheTargetThenGrowsByTheGain() {
        Ledbat ledbat = new Ledbat(100 * MS, 1000, 1400, 1 << 20);
        long start = ledbat.window();
        ledbat.onAck(start, start, 0, true);
        assertEquals(2 * start, ledbat.window(), "a window's worth acked at no delay doubles it");
        ledbat.onAck(100, 100_000, 95 * MS, true);
        assertFalse(ledbat.inSlowStart(), "near the target the linear gain is larger: slow start ends");
        long before = ledbat.window();
        ledbat.onAck(before, before, 0, true);
        assertEquals(before + 1000, ledbat.window(), "a whole window acked at zero delay: the gain");
        before = ledbat.window();
        ledbat.onAck(before, before, 200 * MS, true);
        assertEquals(before - 1000, ledbat.window(), "twice the target: shrinks by the gain");
    }

    @Test
    void anUnusedWindowDoesNotGrow() {
        Ledbat ledbat = new Ledbat(100 * MS, 1000, 1400, 1 << 20);
        long before = ledbat.window();
        ledbat.onAck(1400, 1400, 0, false);
        assertEquals(before, ledbat.window());
    }

    @Test
    void lossHalvesAndATimeoutStartsFromOnePacket() {
        Ledbat ledbat = new Ledbat(100 * MS, 1000, 1400, 1 << 20);
        for (int i = 0; i < 5; i++) {
            ledbat.onAck(ledbat.window(), ledbat.window(), 0, true);
        }
        long grown = ledbat.window();
        ledbat.onLoss();
        assertEquals(grown / 2, ledbat.window());
        ledbat.onTimeout();
        assertEquals(1400, ledbat.window());
        ledbat.onAck(1400, 1400, 0, true);
        assertEquals(2800, ledbat.window(), "slow start again after a timeout");
    }

    @Test
    void theBaseDelayFollowsADriftingClock() {
        DelayHistory history = new DelayHistory();
        long offset = 0xfff0_0000L; // the peer's clock, far from ours and about to wrap
        for (long t = 0; t < 10 * 60 * SECOND; t += 100 * MS) {
            long drift = t / 1000; // 1000 ppm: a millisecond a second
            history.add((offset + 30 * MS + drift) & 0xffffffffL, t);
        }
        assertTrue(history.queuingDelay() < 130 * MS, "after 10 minutes of drift: " + history.queuingDelay());
        history.add((offset + 600 * MS + 80 * MS) & 0xffffffffL, 10 * 60 * SECOND);
        history.add((offset + 600 * MS + 80 * MS) & 0xffffffffL, 10 * 60 * SECOND + 1);
        history.add((offset + 600 * MS + 80 * MS) & 0xffffffffL, 10 * 60 * SECOND + 2);
        long queuing = history.queuingDelay();
        assertTrue(queuing > 0 && queuing < 150 * MS, "a real queue still shows: " + queuing);
    }

    private static Endpoint[] bulkFlow(Simulation sim, Link forward, Link back, int bytes) {
        Endpoint a = new Endpoint(sim, UtpSettings.DEFAULTS);
        Endpoint b = new Endpoint(sim, UtpSettings.DEFAULTS);
        Endpoint.wire(a, b, forward, back);
        a.connect(100);
        a.send(new byte[bytes], false);
        return new Endpoint[] {a, b};
    }

    @Test
    void aloneOnABottleneckItFillsTheLinkAndKeepsTheQueueNearTheTarget() {
        Simulation sim = new Simulation(11);
        long rate = 500_000;
        Link forward = new Link(sim, 20 * MS, 0, 0, 0, rate, rate); // a second of queue
        Endpoint[] flow = bulkFlow(sim, forward, Link.plain(sim, 20 * MS), 30 << 20);
        sim.runFor(20 * SECOND);
        long before = flow[1].received.size();
        long delaySum = 0;
        int samples = 0;
        for (int i = 0; i < 20; i++) {
            sim.runFor(SECOND);
            delaySum += flow[0].connection.queuingDelay();
            samples++;
        }
        long rateSeen = (flow[1].received.size() - before) / 20;
        long delay = delaySum / samples;
        assertTrue(rateSeen > rate * 8 / 10, "uses the link: " + rateSeen + " B/s of " + rate);
        assertTrue(delay > 50 * MS && delay < 150 * MS, "queuing delay near 100 ms: " + delay / MS + " ms");
        assertEquals(0, forward.dropped, "never overflows a queue longer than its target");
    }

    @Test
    void itYieldsToATcpFlowOnASharedBottleneck() {
        Simulation sim = new Simulation(13);
        long rate = 250_000;
        Link forward = new Link(sim, 20 * MS, 0, 0, 0, rate, rate / 2); // 500 ms of queue, shared
        Link back = Link.plain(sim, 20 * MS);
        Endpoint[] utp = bulkFlow(sim, forward, back, 30 << 20);
        sim.runFor(5 * SECOND);
        RenoFlow tcp = new RenoFlow(sim, forward, back, 40 * MS);
        tcp.start();
        sim.runFor(5 * SECOND);
        long utpBefore = utp[1].received.size();
        long tcpBefore = tcp.delivered;
        sim.runFor(20 * SECOND);
        long utpBytes = utp[1].received.size() - utpBefore;
        long tcpBytes = tcp.delivered - tcpBefore;
        assertTrue(tcpBytes > 3 * utpBytes, "TCP " + tcpBytes + " bytes, uTP " + utpBytes);
        assertTrue(tcpBytes + utpBytes > 20 * rate * 8 / 10, "together they use the link");
    }
}
