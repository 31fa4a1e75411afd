package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Upload-only (BEP 21): the handshake field while we seed, the live message when that changes, and
 * no connection kept between two upload-only sides.
 */
@Unit
class UploadOnlyTest {
    private static final InfoHash TORRENT = InfoHash.of(new byte[20]);

    private final UploadOnly uploadOnly = new UploadOnly();

    @Test
    void announcesUploadOnlyInTheHandshakeOnlyWhileSeeding() {
        FakePeer peer = new FakePeer(TORRENT, "203.0.113.1", 6881, true);
        assertEquals(Map.of(), handshakeFields(peer));
        uploadOnly.statusChanged(status(TorrentState.SEEDING));
        assertEquals(Map.of("upload_only", 1), handshakeFields(peer));
        uploadOnly.statusChanged(status(TorrentState.DOWNLOADING)); // a file was un-skipped
        assertEquals(Map.of(), handshakeFields(peer));
    }

    @Test
    void tellsConnectedPeersWhenWeBecomeASeedAndWhenWeWantPiecesAgain() {
        FakePeer leecher = connected("203.0.113.1", false);
        FakePeer deaf = connected("203.0.113.2", false);
        deaf.announced = Set.of();
        uploadOnly.statusChanged(status(TorrentState.DOWNLOADING));
        assertTrue(leecher.uploadOnly.isEmpty(), "nothing changed");

        uploadOnly.statusChanged(status(TorrentState.SEEDING));
        uploadOnly.statusChanged(status(TorrentState.SEEDING));
        uploadOnly.statusChanged(status(TorrentState.DOWNLOADING));
        assertEquals(2, leecher.uploadOnly.size(), "once a change");
        assertArrayEquals(new byte[] {1}, leecher.uploadOnly.get(0));
        assertArrayEquals(new byte[] {0}, leecher.uploadOnly.get(1));
        assertTrue(deaf.uploadOnly.isEmpty(), "a peer without the extension hears nothing");
        assertNull(leecher.closed);
    }

    @Test
    void closesAConnectionToAnUploadOnlyPeerOnceWeAreUploadOnlyToo() {
        FakePeer partialSeed = connected("203.0.113.1", true);
        FakePeer leecher = connected("203.0.113.2", false);
        assertNull(partialSeed.closed, "we still want its pieces");

        uploadOnly.statusChanged(status(TorrentState.SEEDING));
        assertFalse(partialSeed.closed.misbehaviour());
        assertNull(leecher.closed);
        assertTrue(partialSeed.uploadOnly.isEmpty(), "closed, not told");

        FakePeer late = connected("203.0.113.3", true);
        assertFalse(late.isOpen(), "a seed arriving while we seed");
    }

    @Test
    void followsThePeersLiveMessage() {
        uploadOnly.statusChanged(status(TorrentState.SEEDING));
        FakePeer peer = connected("203.0.113.1", false);
        uploadOnly.onMessage(peer, new byte[] {1});
        assertFalse(peer.isOpen());
        assertFalse(peer.closed.misbehaviour());
    }

    @Test
    void closesAPeerWhoseMessageIsNotOneByte() {
        FakePeer peer = connected("203.0.113.1", false);
        uploadOnly.onMessage(peer, new byte[] {1, 1});
        assertTrue(peer.closed.misbehaviour());
        FakePeer empty = connected("203.0.113.2", false);
        uploadOnly.onMessage(empty, new byte[0]);
        assertTrue(empty.closed.misbehaviour());
    }

    @Test
    void forgetsClosedConnectionsAndRemovedTorrents() {
        FakePeer peer = connected("203.0.113.1", false);
        uploadOnly.onClosed(peer);
        uploadOnly.statusChanged(status(TorrentState.SEEDING));
        assertTrue(peer.uploadOnly.isEmpty());
        uploadOnly.removed(1, TORRENT);
        assertEquals(Map.of(), handshakeFields(new FakePeer(TORRENT, "203.0.113.2", 6881, true)));
    }

    private FakePeer connected(String ip, boolean peerUploadOnly) {
        FakePeer peer = new FakePeer(TORRENT, ip, 6881, true);
        uploadOnly.onHandshake(peer, peerUploadOnly
                ? FakePeer.handshake(true, "upload_only", 1) : FakePeer.handshake(true));
        return peer;
    }

    private Map<String, Object> handshakeFields(FakePeer peer) {
        Map<String, Object> fields = new HashMap<>();
        uploadOnly.contributeHandshake(peer, fields);
        return fields;
    }

    private static TorrentStatus status(TorrentState state) {
        return new TorrentStatus(1, TORRENT, "t", Path.of("t"), state, 10, 10, state == TorrentState.SEEDING ? 10 : 0,
                0, 0, 0, 0, 0, 0, OptionalLong.empty(), Optional.empty());
    }
}
