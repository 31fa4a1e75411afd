package io.graytorrent.utp.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import io.graytorrent.utp.internal.packet.PacketType;
import io.graytorrent.utp.internal.packet.UtpPacket;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The protocol on a simulated link and a virtual clock: transfers, wraparound, timers, closing. */
@Unit
class UtpConnectionTest {
    private static final long SECOND = 1_000_000;

    private final Simulation sim = new Simulation(7);
    private final Endpoint a = new Endpoint(sim, UtpSettings.DEFAULTS);
    private final Endpoint b = new Endpoint(sim, UtpSettings.DEFAULTS);

    private static byte[] data(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private void transferBothWays(Link ab, Link ba, int length, long limit) {
        Endpoint.wire(a, b, ab, ba);
        byte[] fromA = data(length, 1);
        byte[] fromB = data(length / 2, 2);
        a.connect(4242);
        a.send(fromA, true);
        b.send(fromB, true);
        assertTrue(sim.runUntil(() -> a.closed() && b.closed(), limit),
                "both closed; a: " + a.closedReason + ", b: " + b.closedReason + ", a got " + a.received.size()
                        + ", b got " + b.received.size());
        assertArrayEquals(fromA, b.received.toByteArray(), "a's bytes arrive in order");
        assertArrayEquals(fromB, a.received.toByteArray(), "b's bytes arrive in order");
        assertFalse(a.closedInError, a.closedReason);
        assertFalse(b.closedInError, b.closedReason);
    }

    @Test
    void connectsAndTransfersOnACleanLink() {
        transferBothWays(Link.plain(sim, 20_000), Link.plain(sim, 20_000), 1 << 20, 30 * SECOND);
        UtpPacket syn = a.sentPackets.get(0);
        assertEquals(PacketType.SYN, syn.type());
        assertEquals(4242, syn.connectionId(), "a SYN carries the initiator's receive id");
        assertTrue(a.sentPackets.stream().skip(1).allMatch(p -> p.connectionId() == 4243), "then its send id");
        assertTrue(b.sentPackets.stream().allMatch(p -> p.connectionId() == 4242), "the acceptor sends to the SYN's id");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05, 0.10})
    void completesByteExactOverLossReorderingAndDuplication(double loss) {
        Link ab = new Link(sim, 30_000, 20_000, loss, 0.02, 0, 0);
        Link ba = new Link(sim, 30_000, 20_000, loss, 0.02, 0, 0);
        transferBothWays(ab, ba, 256 << 10, 300 * SECOND);
    }

    @Test
    void completesThroughABottleneckQueue() {
        Link ab = new Link(sim, 10_000, 5_000, 0, 0, 500_000, 30_000);
        Link ba = new Link(sim, 10_000, 5_000, 0, 0, 500_000, 30_000);
        transferBothWays(ab, ba, 1 << 20, 60 * SECOND);
        assertTrue(ab.dropped > 0, "the queue overflowed at times, and the loss was repaired");
    }

    @Test
    void sequenceNumbersWrap() {
        b.firstSeq = 65_500; // the acceptor's numbers pass 65535 within the first hundred packets
        transferBothWays(Link.plain(sim, 5_000), new Link(sim, 5_000, 3_000, 0.03, 0, 0, 0), 512 << 10, 120 * SECOND);
        assertTrue(b.sentPackets.stream().anyMatch(p -> p.type() == PacketType.DATA && p.seq() < 100));
    }

    @Test
    void aConnectToNobodyFailsAfterItsSyns() {
        Link ab = Link.plain(sim, 5_000);
        ab.cut = true;
        Endpoint.wire(a, b, ab, Link.plain(sim, 5_000));
        a.connect(1);
        assertTrue(sim.runUntil(a::closed, 60 * SECOND));
        assertTrue(a.closedInError);
        assertEquals(UtpSettings.DEFAULTS.connectAttempts(), a.sentPackets.size(), "one SYN an attempt");
        assertTrue(a.sentPackets.stream().allMatch(p -> p.type() == PacketType.SYN && p.seq() == 1));
        assertTrue(sim.now() >= 3 * SECOND && sim.now() < 4 * SECOND, "the timeout backs off: 1 s, then 2 s: " + sim.now());
    }

    @Test
    void aLostAnswerToTheSynIsSentAgain() {
        Link ba = Link.plain(sim, 5_000);
        Endpoint.wire(a, b, Link.plain(sim, 5_000), ba);
        ba.cut = true;
        a.connect(9);
        sim.runFor(500_000);
        ba.cut = false;
        assertTrue(sim.runUntil(() -> a.connected, 5 * SECOND));
        assertEquals(2, b.sentPackets.size(), "the STATE, once more for the repeated SYN");
    }

    @Test
    void anIdleConnectionKeepsAliveAndEndsWhenThePeerGoesQuiet() {
        Link ab = Link.plain(sim, 5_000);
        Link ba = Link.plain(sim, 5_000);
        Endpoint.wire(a, b, ab, ba);
        a.connect(5);
        sim.runFor(200 * SECOND);
        assertFalse(a.closed() || b.closed(), "keep-alives hold it open past the idle timeout");
        assertTrue(a.sentPackets.stream().filter(p -> p.type() == PacketType.STATE).count() >= 6);
        ba.cut = true;
        assertTrue(sim.runUntil(a::closed, 400 * SECOND));
        assertTrue(a.closedInError);
        assertTrue(a.closedReason.startsWith("nothing heard"), a.closedReason);
    }

    @Test
    void aResetEndsTheConnectionAtOnce() {
        Endpoint.wire(a, b, Link.plain(sim, 5_000), Link.plain(sim, 5_000));
        a.connect(5);
        sim.runUntil(() -> a.connected, SECOND);
        b.connection.reset("test");
        assertTrue(sim.runUntil(a::closed, SECOND));
        assertEquals("reset by the peer", a.closedReason);
        assertTrue(a.closedInError);
    }

    @Test
    void theReceiveWindowHoldsTheSenderBackUntilRead() {
        Endpoint.wire(a, b, Link.plain(sim, 5_000), Link.plain(sim, 5_000));
        b.reading = false;
        a.connect(5);
        byte[] payload = data(4 << 20, 3);
        a.send(payload, true);
        sim.runFor(10 * SECOND);
        long held = UtpSettings.DEFAULTS.receiveBuffer() + UtpSettings.DEFAULTS.payloadSize();
        assertTrue(a.connection.bytesInFlight() <= held, "in flight " + a.connection.bytesInFlight());
        b.startReading();
        assertTrue(sim.runUntil(() -> a.closed() && b.closed(), 120 * SECOND), a.closedReason + " " + b.closedReason);
        assertArrayEquals(payload, b.received.toByteArray());
    }

    @Test
    void anAckForUnsentDataIsDropped() {
        Endpoint.wire(a, b, Link.plain(sim, 5_000), Link.plain(sim, 5_000));
        a.connect(5);
        sim.runUntil(() -> a.connected, SECOND);
        a.connection.onPacket(new UtpPacket(PacketType.STATE, 5, 0, 0, 1 << 20, 1000, 40_000, null, new byte[0]));
        a.send(data(100_000, 4), true);
        b.send(new byte[0], true);
        assertTrue(sim.runUntil(() -> a.closed() && b.closed(), 30 * SECOND), a.closedReason);
        assertEquals(100_000, b.received.size());
    }

    @Test
    void finIsSentAfterTheDataAndBothSidesCloseCleanly() {
        Endpoint.wire(a, b, Link.plain(sim, 5_000), Link.plain(sim, 5_000));
        a.connect(5);
        a.send(data(10_000, 5), true);
        assertTrue(sim.runUntil(() -> a.closed() && b.closed(), 10 * SECOND));
        UtpPacket fin = a.sentPackets.stream().filter(p -> p.type() == PacketType.FIN).findFirst().orElseThrow();
        assertTrue(a.sentPackets.stream().filter(p -> p.type() == PacketType.DATA).allMatch(p -> Seq.after(fin.seq(), p.seq())));
        assertEquals("closed", a.closedReason);
    }
}
