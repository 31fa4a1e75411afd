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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /** The leaves of a piece of {@code name} (pieces of {@code pieceLength}), hashed from the file on disk. */
    private byte[] leavesOnDisk(String name, int pieceLength, int pieceInFile) throws Exception {
        byte[] data = Files.readAllBytes(dir.resolve("v2-" + pieceLength).resolve(name));
        int start = pieceInFile * pieceLength;
        return MerkleTree.leaves(data, start, Math.min(pieceLength, data.length - start));
    }

    private PeerMessage respond(HashServer<String> server, PeerMessage.HashRequest request) {
        return server.respond("peer", request).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** A server of the torrent in pieces of {@code pieceLength} reading leaves from its files, noting each read. */
    private HashServer<String> readingServer(MetainfoV2 served, int pieceLength, List<int[]> reads) {
        List<String> names = served.files().stream().map(f -> f.entry().path().get(f.entry().path().size() - 1)).toList();
        return new HashServer<>(PieceLayers.of(served), HashServer.DEFAULT_HASHES_PER_SECOND, nanos::get, (file, piece) -> {
            reads.add(new int[] {file, piece});
            try {
                return CompletableFuture.completedFuture(leavesOnDisk(names.get(file), pieceLength, piece));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** Asks each {base, index, length} of {@code name} with proofs to the root; checks the proved hashes against the data. */
    private void assertProvedFromData(HashServer<String> server, MetainfoV2 served, String name, int pieceLength,
                                      int[][] asks) throws Exception {
        V2File file = V2Torrent.file(served, name);
        int pieceLayer = MerkleTree.pieceLayer(pieceLength);
        int height = MerkleProofs.height(pieceLayer, Math.toIntExact(file.pieceCount(pieceLength)));
        for (int[] numbers : asks) {
            MerkleProofs.Request asked = new MerkleProofs.Request(numbers[0], numbers[1], numbers[2], height - 1 - numbers[0]);
            PeerMessage.Hashes answer = assertInstanceOf(PeerMessage.Hashes.class, respond(server, request(file,
                    asked.baseLayer(), asked.index(), asked.length(), asked.proofLayers())), name + " " + Arrays.toString(numbers));
            byte[] proved = MerkleProofs.verify(file.piecesRoot(), height, asked, answer.hashes()).orElseThrow();
            int piece = numbers[1] >>> (pieceLayer - numbers[0]);
            byte[] layer = MerkleTree.layer(leavesOnDisk(name, pieceLength, piece), 0, numbers[0]);
            int from = numbers[1] - (piece << (pieceLayer - numbers[0]));
            for (int i = 0; i < numbers[2]; i++) {
                byte[] expected = (from + i) * 32 < layer.length
                        ? Arrays.copyOfRange(layer, (from + i) * 32, (from + i) * 32 + 32) : MerkleTree.padHash(numbers[0]);
                assertArrayEquals(expected, Arrays.copyOfRange(proved, i * 32, i * 32 + 32), name + " hash " + i);
            }
        }
    }

    @Test
    void answersBlockHashesFromTheDataOfTheVerifiedPieceTheyLieIn() throws Exception {
        // big in 64 KiB pieces (piece layer 2, four blocks a piece): 130 pieces, the last block short
        MetainfoV2 fourBlocks = V2Torrent.create(dir, 4 * V2Torrent.PIECE);
        List<int[]> reads = new ArrayList<>();
        HashServer<String> server = readingServer(fourBlocks, 4 * V2Torrent.PIECE, reads);
        int last = 129;
        assertProvedFromData(server, fourBlocks, "big", 4 * V2Torrent.PIECE, new int[][] {
                {0, 4 * last, 4}, {0, 4 * last + 2, 2}, {0, 4 * last + 1, 1}, {1, 2 * last, 2}, {1, 5, 1}, {0, 0, 4}});
        assertEquals(6, reads.size(), "one piece read a request");
        PeerMessage.HashRequest overTwoPieces = request(V2Torrent.file(fourBlocks, "big"), 0, 0, 8, 3);
        assertEquals(new PeerMessage.HashReject(overTwoPieces), respond(server, overTwoPieces));
        assertEquals(6, reads.size(), "rejected before any read");
        assertInstanceOf(PeerMessage.Hashes.class, respond(server, request(V2Torrent.file(fourBlocks, "big"), 2, 0, 4, 3)),
                "the piece layer is answered from the layers");
        assertEquals(6, reads.size(), "without the disk");

        // c in 32 KiB pieces: two pieces, the second holding one byte (one leaf and a pad)
        MetainfoV2 twoBlocks = V2Torrent.create(dir, 2 * V2Torrent.PIECE);
        assertProvedFromData(readingServer(twoBlocks, 2 * V2Torrent.PIECE, reads), twoBlocks, "c", 2 * V2Torrent.PIECE,
                new int[][] {{0, 2, 2}, {0, 3, 1}, {0, 0, 2}});
    }

    @Test
    void blockHashesOfAPieceWeDoNotHaveOrCannotReadOrOfOtherDataAreRejectedAndReadsAreBounded() throws Exception {
        int pieceLength = 4 * V2Torrent.PIECE;
        MetainfoV2 bigPieces = V2Torrent.create(dir, pieceLength);
        V2File big = V2Torrent.file(bigPieces, "big");
        int height = MerkleProofs.height(2, Math.toIntExact(big.pieceCount(pieceLength)));
        List<CompletableFuture<byte[]>> pending = new ArrayList<>();
        HashServer<String> server = new HashServer<>(PieceLayers.of(bigPieces), HashServer.DEFAULT_HASHES_PER_SECOND,
                nanos::get, (file, piece) -> {
                    CompletableFuture<byte[]> leaves = new CompletableFuture<>();
                    pending.add(leaves);
                    return leaves;
                });
        List<CompletableFuture<PeerMessage>> answers = new ArrayList<>();
        for (int piece = 0; piece < HashServer.MAX_PIECE_READS; piece++) {
            answers.add(server.respond("peer", request(big, 0, 4 * piece, 4, height - 1)));
        }
        PeerMessage.HashRequest oneTooMany = request(big, 0, 4 * 10, 4, height - 1);
        assertEquals(new PeerMessage.HashReject(oneTooMany), server.respond("other", oneTooMany).join(),
                "no more pieces read at once than the bound, whoever asks");
        assertEquals(HashServer.MAX_PIECE_READS, pending.size());
        pending.get(0).completeExceptionally(new IllegalStateException("piece 0 is not verified"));
        pending.get(1).complete(leavesOnDisk("big", pieceLength, 2)); // another piece's data
        pending.get(2).complete(leavesOnDisk("big", pieceLength, 2));
        assertInstanceOf(PeerMessage.HashReject.class, answers.get(0).join(), "a piece we do not have");
        assertInstanceOf(PeerMessage.HashReject.class, answers.get(1).join(), "leaves that are not the piece's");
        assertInstanceOf(PeerMessage.Hashes.class, answers.get(2).join());
        CompletableFuture<PeerMessage> taken = server.respond("other", oneTooMany);
        assertEquals(HashServer.MAX_PIECE_READS + 1, pending.size(), "reads freed: the request is read now");
        assertFalse(taken.isDone());
        pending.get(HashServer.MAX_PIECE_READS).complete(leavesOnDisk("big", pieceLength, 10));
        assertInstanceOf(PeerMessage.Hashes.class, taken.join());
    }
}
