package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.peerwire.PeerEncryption;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a torrent's peers hear from us and what we take from them, on a fake clock: one message a
 * minute with the changes, at most 50 added; floods, oversized messages and bogus addresses; and
 * nothing at all for a private torrent.
 */
@Unit
class PeerExchangeTest {
    private static final InfoHash TORRENT = InfoHash.of(new byte[20]);
    private static final InetSocketAddress OURS = new InetSocketAddress("127.0.0.1", 6881);

    private long now = 1_000_000;
    private final PeerExchange exchange = new PeerExchange(() -> now, OURS::equals);
    private final List<InetSocketAddress> found = new ArrayList<>();

    private void run(boolean privateTorrent) {
        exchange.start(new RunningTorrent(TORRENT, privateTorrent, OURS.getPort(), false), found::add);
    }

    private FakePeer connect(String ip, int port, boolean outgoing, Object... handshake) {
        FakePeer peer = new FakePeer(TORRENT, ip, port, outgoing);
        exchange.onHandshake(peer, FakePeer.handshake(true, handshake));
        return peer;
    }

    @Test
    void tellsEachPeerTheOthersWithTheirFlagsButNotItself() {
        run(false);
        FakePeer dialled = connect("203.0.113.1", 6881, true);
        dialled.encryption = PeerEncryption.RC4;
        exchange.onHandshake(dialled, FakePeer.handshake(true, "upload_only", 1));
        FakePeer incoming = connect("203.0.113.2", 50123, false, "p", 7000);
        FakePeer unreachable = connect("203.0.113.3", 50124, false);
        exchange.tick();

        PexPeer dialledAsTold = new PexPeer(dialled.remote, PexPeer.ENCRYPTION | PexPeer.SEED | PexPeer.REACHABLE);
        PexPeer incomingAsTold = new PexPeer(new InetSocketAddress("203.0.113.2", 7000), 0);
        assertEquals(List.of(dialledAsTold, incomingAsTold), only(unreachable).added());
        assertEquals(List.of(dialledAsTold), only(incoming).added(), "the unreachable peer is not passed on");
        assertEquals(List.of(incomingAsTold), only(dialled).added());
    }

    @Test
    void flagsAPeerThatSpeaksHolepunchSoLibtorrentMayAskUsToRelay() {
        run(false);
        FakePeer listener = connect("203.0.113.1", 6881, true);
        FakePeer punchable = new FakePeer(TORRENT, "203.0.113.2", 6881, true);
        exchange.onHandshake(punchable, FakePeer.holepunchHandshake(true));
        exchange.tick();
        assertEquals(List.of(new PexPeer(punchable.remote, PexPeer.HOLEPUNCH | PexPeer.REACHABLE)),
                only(listener).added());
    }

    @Test
    void sendsAtMostOnceAMinuteAndThenOnlyTheChanges() {
        run(false);
        FakePeer listener = connect("203.0.113.1", 6881, true);
        FakePeer first = connect("203.0.113.2", 6881, true);
        exchange.tick();
        assertEquals(1, listener.received.size());

        FakePeer second = connect("203.0.113.3", 6881, true);
        exchange.onClosed(first);
        now += PexSwarm.INTERVAL_MILLIS - 1;
        exchange.tick();
        assertEquals(1, listener.received.size(), "not within the minute");

        now += 1;
        exchange.tick();
        PexMessage changes = listener.received.get(1);
        assertEquals(List.of(new PexPeer(second.remote, PexPeer.REACHABLE)), changes.added());
        assertEquals(List.of(first.remote), changes.dropped());

        now += PexSwarm.INTERVAL_MILLIS;
        exchange.tick();
        assertEquals(2, listener.received.size(), "nothing changed, nothing sent");
    }

    @Test
    void addsAtMostFiftyAMessageAndTheRestAMinuteLater() {
        run(false);
        FakePeer listener = connect("203.0.113.1", 6881, true);
        for (int i = 0; i < 70; i++) {
            connect("198.51.100." + (i + 1), 6881, true);
        }
        exchange.tick();
        now += PexSwarm.INTERVAL_MILLIS;
        exchange.tick();
        assertEquals(List.of(50, 20), listener.received.stream().map(m -> m.added().size()).toList());
    }

    @Test
    void sendsNothingToAPeerThatDoesNotSpeakPex() {
        run(false);
        FakePeer silent = new FakePeer(TORRENT, "203.0.113.1", 6881, true);
        exchange.onHandshake(silent, FakePeer.handshake(false));
        FakePeer other = connect("203.0.113.2", 6881, true);
        exchange.tick();
        assertTrue(silent.received.isEmpty());
        assertEquals(List.of(silent.remote), other.received.get(0).added().stream().map(PexPeer::address).toList(),
                "it is still a peer worth passing on");
    }

    @Test
    void takesTheAddedPeersAsCandidates() {
        run(false);
        FakePeer sender = connect("203.0.113.1", 6881, true);
        exchange.onMessage(sender, message("198.51.100.1", 6881, "2001:db8::5", 51413).encode());
        assertEquals(List.of(new InetSocketAddress("198.51.100.1", 6881), new InetSocketAddress("2001:db8::5", 51413)),
                found);
        assertNull(sender.closed);
    }

    @Test
    void dropsBogusAddresses() {
        run(false);
        FakePeer stranger = connect("203.0.113.1", 6881, true);
        exchange.onMessage(stranger, message("0.0.0.0", 6881, "198.51.100.1", 0, "127.0.0.1", 6881,
                "127.0.0.2", 7000, "10.0.0.5", 6881, "224.0.0.1", 6881, "255.255.255.255", 6881, "::", 6881,
                "203.0.113.1", 6881, "198.51.100.9", 6881).encode());
        assertEquals(List.of(new InetSocketAddress("198.51.100.9", 6881)), found,
                "unspecified, port 0, ours, loopback and private from a stranger, multicast, broadcast, the sender itself");

        FakePeer neighbour = connect("127.0.0.3", 6881, true);
        exchange.onMessage(neighbour, message("127.0.0.2", 7000, "10.0.0.5", 6881, "127.0.0.1", 6881).encode());
        assertEquals(Set.of("198.51.100.9:6881", "127.0.0.2:7000", "10.0.0.5:6881"),
                found.stream().map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.toSet()),
                "a peer on loopback may name local peers, never us");
    }

    @Test
    void disconnectsAPeerThatFloods() {
        run(false);
        FakePeer flooder = connect("203.0.113.1", 6881, true);
        for (int i = 0; i < 1000 && flooder.isOpen(); i++) {
            exchange.onMessage(flooder, message("198.51.100." + (i % 250 + 1), 6881).encode());
            now += 1000;
        }
        assertTrue(flooder.closed.misbehaviour());
        assertEquals(PexSwarm.MAX_RECEIVED, found.size(), "nothing taken from the message that broke the bound");
    }

    @Test
    void keepsAPeerThatSendsOnceAMinute() {
        run(false);
        FakePeer honest = connect("203.0.113.1", 6881, true);
        for (int i = 0; i < 10; i++) {
            exchange.onMessage(honest, message("198.51.100." + (i + 1), 6881).encode());
            now += PexSwarm.INTERVAL_MILLIS - 500; // a little early, as timers are
        }
        assertNull(honest.closed);
        assertEquals(10, found.size());
    }

    @Test
    void disconnectsAPeerThatSendsAnOversizedOrBrokenMessage() {
        run(false);
        FakePeer big = connect("203.0.113.1", 6881, true);
        exchange.onMessage(big, new byte[PexMessage.MAX_PAYLOAD + 1]);
        assertTrue(big.closed.misbehaviour());
        FakePeer broken = connect("203.0.113.2", 6881, true);
        exchange.onMessage(broken, "d5:added".getBytes());
        assertTrue(broken.closed.misbehaviour());
        assertTrue(found.isEmpty());
    }

    @Test
    void aPrivateTorrentSendsAndTakesNothing() {
        run(true); // the engine never does this (BEP 27), and PEX would ignore it if it did
        FakePeer first = connect("203.0.113.1", 6881, true);
        first.privateTorrent = true;
        FakePeer second = connect("203.0.113.2", 6881, true);
        second.privateTorrent = true;
        assertFalse(exchange.announcedTo(first));
        exchange.tick();
        exchange.onMessage(first, message("198.51.100.1", 6881).encode());
        assertTrue(first.received.isEmpty() && second.received.isEmpty());
        assertTrue(found.isEmpty());
        assertNull(first.closed);
    }

    @Test
    void aPrivateConnectionOfARunningTorrentIsLeftAlone() {
        run(false);
        FakePeer peer = new FakePeer(TORRENT, "203.0.113.1", 6881, true);
        peer.privateTorrent = true;
        exchange.onHandshake(peer, FakePeer.handshake(true));
        connect("203.0.113.2", 6881, true);
        exchange.tick();
        exchange.onMessage(peer, message("198.51.100.1", 6881).encode());
        assertTrue(peer.received.isEmpty());
        assertTrue(found.isEmpty());
    }

    @Test
    void aStoppedTorrentIsForgotten() {
        run(false);
        FakePeer listener = connect("203.0.113.1", 6881, true);
        connect("203.0.113.2", 6881, true);
        exchange.stop(TORRENT);
        exchange.tick();
        exchange.onMessage(listener, message("198.51.100.1", 6881).encode());
        assertTrue(listener.received.isEmpty());
        assertTrue(found.isEmpty());
    }

    private static PexMessage only(FakePeer peer) {
        assertEquals(1, peer.received.size(), "messages to " + peer);
        return peer.received.get(0);
    }

    /** A message adding the given (ip, port) pairs. */
    private static PexMessage message(Object... ipsAndPorts) {
        List<PexPeer> added = new ArrayList<>();
        for (int i = 0; i < ipsAndPorts.length; i += 2) {
            added.add(new PexPeer(new InetSocketAddress((String) ipsAndPorts[i], (Integer) ipsAndPorts[i + 1]), 0));
        }
        return new PexMessage(added, List.of());
    }
}
