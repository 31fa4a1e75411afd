package io.graytorrent.core.internal.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.metainfo.V2File;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher against real answers: each peer is a {@link HashServer} of the same torrent (with its
 * piece layers, or without them and so rejecting), the test carrying requests and answers between.
 */
@Unit
class PieceLayerFetcherTest {
    private static final long TIMEOUT = 5_000;
    @TempDir
    Path dir;
    private MetainfoV2 torrent;
    private final Recorder recorder = new Recorder();
    private PieceLayerFetcher<String> fetcher;

    record Sent(String peer, PeerMessage.HashRequest request) {
    }

    static final class Recorder implements PieceLayerFetcher.Listener<String> {
        final List<Sent> sent = new ArrayList<>();
        final List<String> drops = new ArrayList<>();
        final Map<Integer, byte[]> layers = new HashMap<>();

        @Override
        public void send(String peer, PeerMessage.HashRequest request) {
            sent.add(new Sent(peer, request));
        }

        @Override
        public void drop(String peer, String reason) {
            drops.add(peer + ": " + reason);
        }

        @Override
        public void pieceLayer(int file, byte[] layer) {
            assertFalse(layers.containsKey(file), "each layer handed over once");
            layers.put(file, layer);
        }

        long outstandingAt(String peer) {
            return sent.stream().filter(s -> s.peer().equals(peer)).count();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        torrent = V2Torrent.create(dir);
        List<PieceLayerFetcher.File> files = new ArrayList<>();
        for (int i = 0; i < torrent.files().size(); i++) {
            V2File file = torrent.files().get(i);
            int pieces = (int) file.pieceCount(torrent.pieceLength());
            if (pieces > 1) {
                files.add(new PieceLayerFetcher.File(i, file.piecesRoot(), pieces));
            }
        }
        fetcher = new PieceLayerFetcher<>(files, torrent.pieceLength(), TIMEOUT, recorder);
    }

    /** Answers every request sent so far with {@code server}'s answer as peer {@code peer}; returns how many. */
    private int answerAll(String peer, HashServer<String> server, long now) {
        List<Sent> mine = recorder.sent.stream().filter(s -> s.peer().equals(peer)).toList();
        recorder.sent.removeAll(mine);
        for (Sent sent : mine) {
            PeerMessage answer = server.answer("us", sent.request());
            if (answer instanceof PeerMessage.Hashes hashes) {
                fetcher.received(peer, hashes, now);
            } else {
                fetcher.rejected(peer, (PeerMessage.HashReject) answer, now);
            }
        }
        return mine.size();
    }

    private HashServer<String> seed() {
        return new HashServer<>(PieceLayers.of(torrent), Long.MAX_VALUE / 2, System::nanoTime);
    }

    private void assertEveryLayerArrived() {
        assertTrue(fetcher.isComplete());
        assertEquals(List.of(0, 1), recorder.layers.keySet().stream().sorted().toList(), "big and c; small has none");
        for (var entry : recorder.layers.entrySet()) {
            assertArrayEquals(torrent.files().get(entry.getKey()).pieceLayer(), entry.getValue());
        }
    }

    @Test
    void fetchesEveryPieceLayerInProvedChunksFromSeveralPeers() {
        fetcher.peerAvailable("A", 0);
        fetcher.peerAvailable("B", 0);
        assertEquals(3, recorder.sent.size(), "big in two chunks, c in one");
        assertEquals(3, recorder.outstandingAt("A"), "A came first and takes what fits");
        assertEquals(new PeerMessage.HashRequest(torrent.files().get(0).piecesRoot(), 0, 0, 512, 9),
                recorder.sent.get(0).request());
        assertEquals(new PeerMessage.HashRequest(torrent.files().get(0).piecesRoot(), 0, 512, 8, 9),
                recorder.sent.get(1).request());
        HashServer<String> seed = seed();
        answerAll("A", seed, 1);
        assertEveryLayerArrived();
        assertEquals(List.of(), recorder.drops);
    }

    @Test
    void rejectedChunksGoToAnotherPeerAndAreNotAskedAgainOfTheOneThatRejected() {
        HashServer<String> layerless = new HashServer<>(PieceLayers.of(V2Torrent.withoutPieceLayers(torrent)), 1 << 20, System::nanoTime);
        fetcher.peerAvailable("fetching", 0);
        assertEquals(3, answerAll("fetching", layerless, 1), "all three rejected");
        assertEquals(0, recorder.sent.size(), "not asked again of the peer that rejected them");
        fetcher.peerAvailable("seed", 2);
        assertEquals(3, answerAll("seed", seed(), 3));
        assertEveryLayerArrived();
    }

    @Test
    void aPeerSendingHashesThatDoNotProveIsDroppedAndItsChunkAskedOfAnother() {
        fetcher.peerAvailable("liar", 0);
        HashServer<String> seed = seed();
        Sent first = recorder.sent.remove(0);
        byte[] forged = ((PeerMessage.Hashes) seed.answer("us", first.request())).hashes();
        forged[100] ^= 1;
        fetcher.received("liar", new PeerMessage.Hashes(first.request(), forged), 1);
        assertEquals(List.of("liar: sent hashes that do not prove against the file's pieces root"), recorder.drops);
        recorder.sent.clear(); // the liar's other requests die with its connection
        fetcher.peerAvailable("honest", 2);
        assertEquals(3, answerAll("honest", seed, 3), "all three asked of the honest peer");
        assertEveryLayerArrived();
    }

    @Test
    void unrequestedHashesDropThePeer() {
        fetcher.peerAvailable("A", 0);
        HashServer<String> seed = seed();
        PeerMessage.HashRequest notAsked = new PeerMessage.HashRequest(torrent.files().get(0).piecesRoot(), 1, 0, 2, 1);
        fetcher.received("B", (PeerMessage.Hashes) seed.answer("us", recorder.sent.get(0).request()), 1);
        fetcher.received("A", (PeerMessage.Hashes) seed.answer("us", notAsked), 1);
        assertEquals(List.of("B: sent hashes that were not asked of it", "A: sent hashes that were not asked of it"),
                recorder.drops);
        assertFalse(fetcher.isComplete());
    }

    @Test
    void atMostFourRequestsAreOutstandingAtOnePeer() {
        List<PieceLayerFetcher.File> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(new PieceLayerFetcher.File(i, new byte[32], 2));
        }
        PieceLayerFetcher<String> many = new PieceLayerFetcher<>(six, V2Torrent.PIECE, TIMEOUT, recorder);
        many.peerAvailable("A", 0);
        many.peerAvailable("B", 0);
        assertEquals(4, recorder.outstandingAt("A"));
        assertEquals(2, recorder.outstandingAt("B"));
    }

    @Test
    void requestsUnansweredPastTheTimeoutGoToAnotherPeer() {
        fetcher.peerAvailable("slow", 0);
        fetcher.peerAvailable("other", 0);
        assertEquals(3, recorder.outstandingAt("slow"));
        assertEquals(0, recorder.outstandingAt("other"), "nothing left for the second peer");
        recorder.sent.clear();
        fetcher.tick(TIMEOUT - 1);
        assertEquals(0, recorder.sent.size(), "not yet");
        fetcher.tick(TIMEOUT);
        assertEquals(3, recorder.outstandingAt("other"), "the slow peer's requests move on");
        fetcher.peerGone("other", TIMEOUT + 1);
        assertEquals(0, recorder.outstandingAt("slow"), "not back to the peer that timed out");
        fetcher.peerAvailable("third", TIMEOUT + 2);
        recorder.sent.removeIf(s -> s.peer().equals("other"));
        assertEquals(3, answerAll("third", seed(), TIMEOUT + 3));
        assertEveryLayerArrived();
    }
}
