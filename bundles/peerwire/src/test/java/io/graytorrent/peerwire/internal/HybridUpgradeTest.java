package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.testkit.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * BEP 52's upgrade path as libtorrent 2.0 speaks it: a side that speaks v2 sets {@code reserved[7] & 0x10}; a hybrid
 * torrent's connection made under its v1 infohash between two such sides is answered under the truncated v2
 * infohash and is a v2 connection from then on (its {@link PeerConnection#handshakeInfoHash()} is the v2 one).
 */
@Unit
class HybridUpgradeTest {
    private static final InfoHash V1 = hash(0x11);
    private static final InfoHash V2 = hash(0x22);
    private static final Capabilities V2_PEER = new Capabilities(true, true, false, true);
    private static final Capabilities V1_PEER = new Capabilities(true, true, false, false);

    private final List<PeerConnection> connected = new ArrayList<>();
    private final PeerListener listener = new PeerListener() {
        @Override
        public void onConnected(PeerConnection peer) {
            connected.add(peer);
        }

        @Override
        public void onMessage(PeerConnection peer, PeerMessage message) {
        }

        @Override
        public void onClosed(PeerConnection peer, CloseReason reason) {
        }
    };
    private final TorrentEndpoint hybrid = new TorrentEndpoint(V1, 8, false, listener, Optional.of(V2));
    /** Our torrents: the hybrid, under both of its hashes, as the engine registers it. */
    private final TorrentLookup torrents = named -> named.equals(V1) || named.equals(V2) ? Optional.of(hybrid)
            : Optional.empty();

    @Test
    void weDialAHybridUnderItsV1HashWithTheV2BitAndAV2AnswerMakesItAV2Connection() throws Exception {
        EmbeddedSession dial = new EmbeddedSession(torrents, hybrid);
        byte[] ours = dial.sent();
        assertEquals(Handshake.LENGTH, ours.length, "our handshake goes out as the connection opens");
        assertEquals(0x10, ours[27] & 0x10, "reserved[7] & 0x10: we speak v2");
        assertArrayEquals(V1.toBytes(), infoHashOf(ours), "a hybrid is dialled under its v1 hash");

        dial.receive(EmbeddedSession.handshake(V2_PEER, V2), 68);

        PeerConnection connection = dial.session.handshakeDone().get();
        assertEquals(V2, connection.handshakeInfoHash(), "upgraded: hash requests may go out on it");
        assertEquals(V1, connection.infoHash(), "still the same torrent");
        assertTrue(connection.negotiated().v2());
        assertEquals(List.of(connection), connected);
    }

    @Test
    void aV1AnswerToOurDialKeepsAV1Connection() throws Exception {
        EmbeddedSession dial = new EmbeddedSession(torrents, hybrid);
        dial.receive(EmbeddedSession.handshake(V1_PEER, V1), 68);

        PeerConnection connection = dial.session.handshakeDone().get();
        assertEquals(V1, connection.handshakeInfoHash());
        assertFalse(connection.negotiated().v2());
        assertTrue(dial.channel.isOpen());
    }

    @Test
    void anAnswerForAThirdHashIsRefused() {
        EmbeddedSession dial = new EmbeddedSession(torrents, hybrid);
        dial.receive(EmbeddedSession.handshake(V2_PEER, hash(0x33)), 68);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> dial.session.handshakeDone().get());
        PeerConnectException cause = assertInstanceOf(PeerConnectException.class, failed.getCause());
        assertEquals(PeerConnectException.Reason.WRONG_INFOHASH, cause.reason());
        assertFalse(dial.channel.isOpen());
        assertTrue(connected.isEmpty());
    }

    @Test
    void aTorrentWithoutAV2HashTakesNoV2Answer() {
        TorrentEndpoint v1Only = new TorrentEndpoint(V1, 8, false, listener);
        EmbeddedSession dial = new EmbeddedSession(named -> Optional.of(v1Only), v1Only);
        assertEquals(0, dial.sent()[27] & 0x10, "no v2 bit: we could not take an upgrade to a hash we do not know");
        dial.receive(EmbeddedSession.handshake(V2_PEER, V2), 68);

        CompletableFuture<PeerConnection> done = dial.session.handshakeDone();
        assertTrue(done.isCompletedExceptionally(), "the v2 hash names no torrent of this endpoint");
        assertFalse(dial.channel.isOpen());
    }

    @Test
    void aV2PeerDiallingAHybridUnderItsV1HashIsAnsweredUnderTheV2One() throws Exception {
        EmbeddedSession accepted = new EmbeddedSession(torrents, null);
        accepted.receive(EmbeddedSession.handshake(V2_PEER, V1), 7);

        byte[] answer = accepted.sent();
        assertArrayEquals(V2.toBytes(), infoHashOf(answer), "the upgrade: our answer names the v2 hash");
        assertEquals(0x10, answer[27] & 0x10);
        PeerConnection connection = accepted.session.handshakeDone().get();
        assertEquals(V2, connection.handshakeInfoHash());
        assertEquals(V1, connection.infoHash());
    }

    @Test
    void aV1PeerDiallingAHybridUnderItsV1HashIsAnsweredUnderIt() throws Exception {
        EmbeddedSession accepted = new EmbeddedSession(torrents, null);
        accepted.receive(EmbeddedSession.handshake(V1_PEER, V1), 7);

        assertArrayEquals(V1.toBytes(), infoHashOf(accepted.sent()));
        assertEquals(V1, accepted.session.handshakeDone().get().handshakeInfoHash());
    }

    @Test
    void aPeerDiallingUnderTheV2HashIsAnsweredUnderIt() throws Exception {
        EmbeddedSession accepted = new EmbeddedSession(torrents, null);
        accepted.receive(EmbeddedSession.handshake(V2_PEER, V2), 7);

        assertArrayEquals(V2.toBytes(), infoHashOf(accepted.sent()));
        assertEquals(V2, accepted.session.handshakeDone().get().handshakeInfoHash());
    }

    @Test
    void theV2BitSurvivesTheReservedBytesBothWays() {
        byte[] reserved = V2_PEER.toReserved();
        assertEquals(0x14, reserved[7], "v2 and fast");
        assertEquals(V2_PEER, Capabilities.fromReserved(reserved));
        assertFalse(V2_PEER.intersect(V1_PEER).v2());
        assertTrue(V2_PEER.intersect(V2_PEER).v2());
    }

    private static byte[] infoHashOf(byte[] handshake) {
        int from = 1 + Handshake.PROTOCOL.length() + Capabilities.RESERVED_LENGTH;
        return Arrays.copyOfRange(handshake, from, from + InfoHash.LENGTH);
    }

    private static InfoHash hash(int fill) {
        byte[] bytes = new byte[InfoHash.LENGTH];
        Arrays.fill(bytes, (byte) fill);
        return InfoHash.of(bytes);
    }
}
