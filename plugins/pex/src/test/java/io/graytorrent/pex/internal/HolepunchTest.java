package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Holepunch} with fake connections on a fake clock: the relay's connects and errors, the
 * initiator asking the peer PEX learnt a target from and dialling over uTP when told, and the bounds
 * (silence towards peers that did not announce it, malformed messages, the per-peer rate).
 */
@Unit
class HolepunchTest {
    private static final InfoHash TORRENT = InfoHash.of(new byte[20]);
    private static final InfoHash OTHER = InfoHash.of(filled((byte) 1));
    private static final InetSocketAddress OURS = new InetSocketAddress("127.0.0.1", 6881);

    private long now = 1_000_000;
    private final PeerExchange exchange = new PeerExchange(() -> now, OURS::equals);
    private final List<Map.Entry<InfoHash, InetSocketAddress>> dialled = new ArrayList<>();
    private final Holepunch holepunch = new Holepunch(() -> now, OURS::equals, exchange::toldBy,
            (infoHash, address) -> dialled.add(Map.entry(infoHash, address)));

    private static byte[] filled(byte value) {
        byte[] bytes = new byte[20];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private FakePeer peer(InfoHash torrent, String ip, int port, boolean outgoing, boolean speaks, Object... handshake) {
        FakePeer peer = new FakePeer(torrent, ip, port, outgoing);
        holepunch.onHandshake(peer, FakePeer.holepunchHandshake(speaks, handshake));
        exchange.onHandshake(peer, FakePeer.holepunchHandshake(speaks, handshake));
        return peer;
    }

    private FakePeer peer(String ip, int port, boolean outgoing, boolean speaks, Object... handshake) {
        return peer(TORRENT, ip, port, outgoing, speaks, handshake);
    }

    private void rendezvous(FakePeer from, InetSocketAddress target) {
        holepunch.onMessage(from, HolepunchMessage.rendezvous(target).encode());
    }

    private static HolepunchMessage error(InetSocketAddress target, int code) {
        return HolepunchMessage.error(target, code);
    }

    @Test
    void relaysARendezvousAsConnectsToBothSides() {
        FakePeer initiator = peer("203.0.113.1", 50001, false, true, "p", 7001);
        FakePeer target = peer("203.0.113.2", 6882, true, true);
        rendezvous(initiator, target.remote);

        assertEquals(List.of(HolepunchMessage.connect(new InetSocketAddress("203.0.113.1", 7001))), target.holepunch,
                "the target hears the initiator's listen address");
        assertEquals(List.of(HolepunchMessage.connect(target.remote)), initiator.holepunch);
    }

    @Test
    void findsAnIncomingTargetByItsListenPort() {
        FakePeer initiator = peer("203.0.113.1", 6881, true, true);
        FakePeer target = peer("203.0.113.2", 50002, false, true, "p", 7002);
        InetSocketAddress listening = new InetSocketAddress("203.0.113.2", 7002);
        rendezvous(initiator, listening);

        assertEquals(List.of(HolepunchMessage.connect(initiator.remote)), target.holepunch);
        assertEquals(List.of(HolepunchMessage.connect(listening)), initiator.holepunch);
    }

    @Test
    void answersWhatItCannotDoWithTheBepsErrors() {
        FakePeer initiator = peer("203.0.113.1", 6881, true, true);
        FakePeer mute = peer("203.0.113.3", 6883, true, false);
        FakePeer elsewhere = peer(OTHER, "203.0.113.4", 6884, true, true);
        InetSocketAddress nobody = new InetSocketAddress("203.0.113.5", 6885);
        InetSocketAddress portZero = new InetSocketAddress("203.0.113.6", 0);

        rendezvous(initiator, nobody);
        rendezvous(initiator, mute.remote);
        rendezvous(initiator, OURS);
        rendezvous(initiator, portZero);
        rendezvous(initiator, initiator.remote);
        rendezvous(initiator, elsewhere.remote);

        assertEquals(List.of(error(nobody, HolepunchMessage.NOT_CONNECTED), error(mute.remote, HolepunchMessage.NO_SUPPORT),
                error(OURS, HolepunchMessage.NO_SELF), error(portZero, HolepunchMessage.NO_SUCH_PEER),
                error(initiator.remote, HolepunchMessage.NO_SUCH_PEER),
                error(elsewhere.remote, HolepunchMessage.NOT_CONNECTED)), initiator.holepunch);
        assertTrue(mute.holepunch.isEmpty() && elsewhere.holepunch.isEmpty());
    }

    @Test
    void ignoresAPeerThatDidNotAnnounceItAndClosesOnGarbage() {
        FakePeer mute = peer("203.0.113.1", 6881, true, false);
        FakePeer target = peer("203.0.113.2", 6882, true, true);
        rendezvous(mute, target.remote);
        holepunch.onMessage(mute, new byte[] {1, 2, 3});
        assertTrue(mute.holepunch.isEmpty() && target.holepunch.isEmpty());
        assertNull(mute.closed, "not even garbage is answered");

        holepunch.onMessage(target, new byte[] {1, 2, 3});
        assertNotNull(target.closed, "a peer that announced ut_holepunch and sends garbage is dropped");
    }

    @Test
    void dropsAPeersMessagesPastTheRateUntilTheMinuteIsOver() {
        FakePeer initiator = peer("203.0.113.1", 6881, true, true);
        FakePeer target = peer("203.0.113.2", 6882, true, true);
        for (int i = 0; i < Holepunch.MAX_RECEIVED + 5; i++) {
            rendezvous(initiator, target.remote);
        }
        assertEquals(Holepunch.MAX_RECEIVED, target.holepunch.size());
        now += Holepunch.WINDOW_MILLIS;
        rendezvous(initiator, target.remote);
        assertEquals(Holepunch.MAX_RECEIVED + 1, target.holepunch.size());
    }

    @Test
    void asksThePeerThatToldUsOfAnUnreachablePeerOncePerMinute() {
        exchange.start(new RunningTorrent(TORRENT, false, OURS.getPort(), false), address -> { });
        FakePeer relay = peer("203.0.113.1", 6881, true, true);
        InetSocketAddress target = new InetSocketAddress("203.0.113.7", 6887);
        exchange.onMessage(relay, new PexMessage(List.of(new PexPeer(target, PexPeer.HOLEPUNCH)), List.of()).encode());
        assertEquals(relay, exchange.toldBy(TORRENT, target));

        holepunch.onDialFailed(TORRENT, target);
        holepunch.onDialFailed(TORRENT, target);
        assertEquals(List.of(HolepunchMessage.rendezvous(target)), relay.holepunch, "once a minute");
        now += Holepunch.WINDOW_MILLIS;
        holepunch.onDialFailed(TORRENT, target);
        assertEquals(2, relay.holepunch.size());

        assertFalse(holepunch.askRelay(TORRENT, new InetSocketAddress("203.0.113.8", 6888)), "nobody told us of it");
        exchange.onClosed(relay);
        assertNull(exchange.toldBy(TORRENT, target), "a closed relay is forgotten");
    }

    @Test
    void doesNotAskARelayThatDoesNotSpeakIt() {
        exchange.start(new RunningTorrent(TORRENT, false, OURS.getPort(), false), address -> { });
        FakePeer relay = peer("203.0.113.1", 6881, true, false);
        InetSocketAddress target = new InetSocketAddress("203.0.113.7", 6887);
        exchange.onMessage(relay, new PexMessage(List.of(new PexPeer(target, 0)), List.of()).encode());
        assertFalse(holepunch.askRelay(TORRENT, target));
        assertTrue(relay.holepunch.isEmpty());
    }

    @Test
    void dialsOverUtpWhenToldToConnectUnlessConnectedOrBogus() {
        FakePeer relay = peer("203.0.113.1", 6881, true, true);
        FakePeer connected = peer("203.0.113.2", 6882, true, true);
        InetSocketAddress target = new InetSocketAddress("203.0.113.7", 6887);
        for (InetSocketAddress endpoint : List.of(target, connected.remote, OURS, new InetSocketAddress("0.0.0.0", 6881),
                new InetSocketAddress("203.0.113.9", 0))) {
            holepunch.onMessage(relay, HolepunchMessage.connect(endpoint).encode());
        }
        assertEquals(List.of(Map.entry(TORRENT, target)), dialled);
        assertTrue(relay.holepunch.isEmpty(), "a connect is never answered");
    }

    @Test
    void isNotAnnouncedOnPrivateTorrents() {
        FakePeer peer = new FakePeer(TORRENT, "203.0.113.1", 6881, true);
        peer.privateTorrent = true;
        assertFalse(holepunch.announcedTo(peer));
        PeerConnection open = new FakePeer(TORRENT, "203.0.113.1", 6881, true);
        assertTrue(holepunch.announcedTo(open));
    }
}
