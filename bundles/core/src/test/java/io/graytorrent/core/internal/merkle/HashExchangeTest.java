package io.graytorrent.core.internal.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.core.internal.swarm.FakeConnection;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two torrents' exchanges talking through connections without sockets: a seed that has every piece
 * layer and a magnet download that has none; what one sends the test hands to the other.
 */
@Unit
class HashExchangeTest {
    @TempDir
    Path dir;
    private MetainfoV2 torrent;
    private PieceLayers fetched;
    private HashExchange seed;
    private HashExchange download;
    /** The download's connection to the seed, and the seed's to the download. */
    private final FakeConnection toSeed = new FakeConnection(new InetSocketAddress("127.0.0.1", 1), Capabilities.NONE);
    private final FakeConnection toDownload = new FakeConnection(new InetSocketAddress("127.0.0.1", 2), Capabilities.NONE);

    @BeforeEach
    void setUp() throws Exception {
        torrent = V2Torrent.create(dir);
        fetched = PieceLayers.of(V2Torrent.withoutPieceLayers(torrent));
        seed = new HashExchange(1, PieceLayers.of(torrent), false, Clock.SYSTEM);
        download = new HashExchange(2, fetched, true, Clock.SYSTEM);
        toSeed.handshakeInfoHash = torrent.infoHash().truncated(); // a v2 torrent: every connection is under its v2 hash
        toDownload.handshakeInfoHash = torrent.infoHash().truncated();
    }

    /** Carries what each side sent to the other until neither sends more; returns the messages carried. */
    private int carry() {
        int carried = 0;
        for (boolean moved = true; moved; ) {
            moved = false;
            for (PeerMessage message : drain(toSeed)) {
                seed.handle(toDownload, message);
                carried++;
                moved = true;
            }
            for (PeerMessage message : drain(toDownload)) {
                download.handle(toSeed, message);
                carried++;
                moved = true;
            }
        }
        return carried;
    }

    private static List<PeerMessage> drain(FakeConnection connection) {
        List<PeerMessage> messages = new ArrayList<>();
        messages.addAll(connection.sent(PeerMessage.HashRequest.class));
        messages.addAll(connection.sent(PeerMessage.Hashes.class));
        messages.addAll(connection.sent(PeerMessage.HashReject.class));
        connection.clearSent();
        return messages;
    }

    @Test
    void aMagnetDownloadFetchesItsPieceLayersFromASeedAndOffersThemToTheContent() {
        List<Integer> learned = new ArrayList<>();
        fetched.onLearned(learned::add);
        assertEquals(List.of(0, 1), fetched.missing(), "big and c lack their layers; small needs none");
        assertTrue(download.fetching());
        download.peerSeen(toSeed);
        assertEquals(3, toSeed.sent(PeerMessage.HashRequest.class).size());
        assertEquals(6, carry(), "three requests, three answers");
        assertEquals(List.of(0, 1), learned);
        assertEquals(List.of(), fetched.missing());
        assertFalse(download.fetching());
        for (int file : List.of(0, 1)) {
            assertArrayEquals(torrent.files().get(file).pieceLayer(), fetched.layer(file).orElseThrow());
        }
        assertNull(toSeed.closed);
        // the fetched layers are served from now on
        download.handle(toSeed, new PeerMessage.HashRequest(torrent.files().get(1).piecesRoot(), 0, 0, 4, 1));
        assertEquals(1, toSeed.sent(PeerMessage.Hashes.class).size());
    }

    @Test
    void aTorrentStillFetchingRejectsRequestsForWhatItLacks() {
        PeerMessage.HashRequest request = new PeerMessage.HashRequest(torrent.files().get(0).piecesRoot(), 0, 0, 512, 9);
        download.handle(toSeed, request);
        assertEquals(List.of(new PeerMessage.HashReject(request)), toSeed.sent(PeerMessage.HashReject.class));
    }

    @Test
    void hashesNobodyAskedForCloseTheConnection() {
        PeerMessage.HashRequest request = new PeerMessage.HashRequest(torrent.files().get(0).piecesRoot(), 0, 0, 512, 9);
        seed.handle(toDownload, request);
        PeerMessage.Hashes answer = toDownload.sent(PeerMessage.Hashes.class).get(0);
        seed.handle(toDownload, answer);
        assertNotNull(toDownload.closed, "the seed asked for nothing");
        download.handle(toSeed, answer);
        assertNotNull(toSeed.closed, "the download had not asked this peer yet");
    }
}
