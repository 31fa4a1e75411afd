package io.graytorrent.core.internal.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.MerkleProofs;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.metainfo.V2File;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class HashServerTest {
    @TempDir
    Path dir;
    private MetainfoV2 torrent;
    private V2File big;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void setUp() throws Exception {
        torrent = V2Torrent.create(dir);
        big = V2Torrent.file(torrent, "big");
    }

    private HashServer<String> server(MetainfoV2 served, long hashesPerSecond) {
        return new HashServer<>(PieceLayers.of(served), hashesPerSecond, nanos::get);
    }

    private static PeerMessage.HashRequest request(V2File file, int base, int index, int length, int proofLayers) {
        return new PeerMessage.HashRequest(file.piecesRoot(), base, index, length, proofLayers);
    }

    @Test
    void answersPieceLayerRequestsWithHashesThatProveAgainstTheRoot() {
        HashServer<String> server = server(torrent, HashServer.DEFAULT_HASHES_PER_SECOND);
        int height = MerkleProofs.height(0, 520);
        assertEquals(10, height);
        for (MerkleProofs.Request chunk : MerkleProofs.pieceLayerRequests(0, 520)) {
            PeerMessage.HashRequest request = request(big, 0, chunk.index(), chunk.length(), chunk.proofLayers());
            PeerMessage.Hashes answer = assertInstanceOf(PeerMessage.Hashes.class, server.answer("peer", request));
            assertEquals(request, answer.request());
            byte[] base = MerkleProofs.verify(big.piecesRoot(), height, chunk, answer.hashes()).orElseThrow();
            int pieces = Math.min(chunk.length(), 520 - chunk.index());
            assertArrayEquals(Arrays.copyOfRange(big.pieceLayer(), chunk.index() * 32, (chunk.index() + pieces) * 32),
                    Arrays.copyOf(base, pieces * 32));
            for (int pad = pieces; pad < chunk.length(); pad++) {
                assertArrayEquals(MerkleTree.padHash(0), Arrays.copyOfRange(base, pad * 32, pad * 32 + 32));
            }
        }
        // a layer above the pieces, proved part of the way, is answered too
        PeerMessage.Hashes upper = assertInstanceOf(PeerMessage.Hashes.class, server.answer("peer", request(big, 3, 4, 4, 3)));
        assertEquals(4 + 2, upper.hashes().length / 32);
    }

    @Test
    void rejectsWhatItCannotAnswer() {
        HashServer<String> server = server(torrent, HashServer.DEFAULT_HASHES_PER_SECOND);
        V2File small = V2Torrent.file(torrent, "small");
        byte[] unknownRoot = big.piecesRoot().clone();
        unknownRoot[0] ^= 1;
        for (PeerMessage.HashRequest unanswerable : new PeerMessage.HashRequest[] {
                new PeerMessage.HashRequest(unknownRoot, 0, 0, 512, 9), // no file of ours
                request(small, 0, 0, 1, 0), // a file of one piece: no piece layer to give
                request(big, 0, 1024, 512, 0), // past the layer's 1024 hashes
                request(big, 0, 0, 2, 10), // proofs reaching the root's layer
                request(big, 10, 0, 1, 0)}) { // the root itself
            assertEquals(new PeerMessage.HashReject(unanswerable), server.answer("peer", unanswerable),
                    unanswerable.toString());
        }
    }

    @Test
    void rejectsLeavesBelowThePieceLayerWhichOnlyTheDataCouldGive() throws Exception {
        MetainfoV2 bigPieces = V2Torrent.create(dir, 2 * V2Torrent.PIECE);
        V2File file = V2Torrent.file(bigPieces, "big");
        HashServer<String> server = server(bigPieces, HashServer.DEFAULT_HASHES_PER_SECOND);
        PeerMessage.HashRequest leaves = request(file, 0, 0, 2, 1);
        assertEquals(new PeerMessage.HashReject(leaves), server.answer("peer", leaves));
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("peer", request(file, 1, 0, 2, 1)), "the piece layer is");
    }

    @Test
    void answersOnceAFetchedPieceLayerIsLearned() {
        PieceLayers layers = PieceLayers.of(V2Torrent.withoutPieceLayers(torrent));
        HashServer<String> server = new HashServer<>(layers, HashServer.DEFAULT_HASHES_PER_SECOND, nanos::get);
        PeerMessage.HashRequest request = request(big, 0, 512, 512, 9);
        assertInstanceOf(PeerMessage.HashReject.class, server.answer("peer", request));
        int bigIndex = torrent.files().indexOf(big);
        assertFalse(layers.offer(bigIndex, Arrays.copyOf(big.pieceLayer(), 32 * 519)), "a layer of the wrong size");
        assertInstanceOf(PeerMessage.HashReject.class, server.answer("peer", request));
        assertTrue(layers.offer(bigIndex, big.pieceLayer()));
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("peer", request));
    }

    @Test
    void eachPeerHasItsOwnBudgetOfHashesASecond() {
        // 512 base hashes and one uncle: 513 a request; a budget of 1100 a second takes two
        HashServer<String> server = server(torrent, 1100);
        PeerMessage.HashRequest request = request(big, 0, 0, 512, 9);
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("A", request));
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("A", request));
        assertInstanceOf(PeerMessage.HashReject.class, server.answer("A", request), "over budget");
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("B", request), "another peer's budget is its own");
        nanos.addAndGet(500_000_000L);
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("A", request), "half a second refills 550");
        assertInstanceOf(PeerMessage.HashReject.class, server.answer("A", request));
        server.peerGone("A");
        assertInstanceOf(PeerMessage.Hashes.class, server.answer("A", request), "a new connection, a new budget");
        HashServer<String> tiny = server(torrent, 100);
        assertInstanceOf(PeerMessage.HashReject.class, tiny.answer("A", request), "larger than a second's budget");
        assertTrue(tiny.answer("A", request(big, 0, 0, 64, 9)) instanceof PeerMessage.Hashes, "a smaller request fits");
    }
}
