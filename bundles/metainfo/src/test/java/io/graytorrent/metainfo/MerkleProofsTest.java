package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class MerkleProofsTest {
    private static final int H = MerkleTree.HASH_LENGTH;

    /**
     * Every layer of a file's whole padded tree, built independently of the code under test: layer
     * {@code pieceLayer} is the pieces' hashes then pads to a power of two, each layer above it
     * SHA-256 of pairs. Index 0 of the result is the piece layer; the last the root alone.
     */
    private static List<byte[][]> fullTree(byte[][] pieces, int pieceLayer) throws Exception {
        byte[] pad = new byte[H];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < pieceLayer; i++) {
            sha.update(pad);
            sha.update(pad);
            pad = sha.digest();
        }
        int width = Integer.highestOneBit(pieces.length - 1) << 1;
        byte[][] layer = new byte[width][];
        for (int i = 0; i < width; i++) {
            layer[i] = i < pieces.length ? pieces[i] : pad;
        }
        List<byte[][]> layers = new ArrayList<>();
        layers.add(layer);
        while (layer.length > 1) {
            byte[][] up = new byte[layer.length / 2][];
            for (int i = 0; i < up.length; i++) {
                sha.update(layer[2 * i]);
                sha.update(layer[2 * i + 1]);
                up[i] = sha.digest();
            }
            layers.add(up);
            layer = up;
        }
        return layers;
    }

    private static byte[][] randomPieces(int count, long seed) {
        Random random = new Random(seed);
        byte[][] pieces = new byte[count][H];
        for (byte[] piece : pieces) {
            random.nextBytes(piece);
        }
        return pieces;
    }

    private static byte[] concat(byte[][] hashes) {
        byte[] all = new byte[hashes.length * H];
        for (int i = 0; i < hashes.length; i++) {
            System.arraycopy(hashes[i], 0, all, i * H, H);
        }
        return all;
    }

    /**
     * Every base layer from the piece layer up, every power-of-two length, every aligned index and
     * every number of proof layers: the answer is the base hashes (pads past the file) and the
     * siblings from the subtree's root up; an answer proved to the root verifies to its base hashes;
     * below the piece layer there is no answer.
     */
    @ParameterizedTest(name = "{0} pieces on layer {1}")
    @CsvSource({"2,0", "3,0", "4,1", "5,0", "7,2", "8,1", "9,0", "13,3", "16,0", "17,1"})
    void answersEveryRequestOnSmallTreesAndTheFullProofsVerify(int pieceCount, int pieceLayer) throws Exception {
        byte[][] pieces = randomPieces(pieceCount, pieceCount * 31L + pieceLayer);
        List<byte[][]> tree = fullTree(pieces, pieceLayer);
        int height = pieceLayer + tree.size() - 1;
        assertEquals(height, MerkleProofs.height(pieceLayer, pieceCount));
        byte[] root = tree.get(tree.size() - 1)[0];
        assertArrayEquals(root, MerkleTree.root(concat(pieces), pieceLayer), "the independent tree agrees");
        int answered = 0;
        for (int base = 0; base < height; base++) {
            int width = 1 << (height - base);
            for (int length = 1; length <= width; length <<= 1) {
                for (int index = 0; index < width; index += length) {
                    for (int proof = 0; proof < height - base; proof++) {
                        MerkleProofs.Request request = new MerkleProofs.Request(base, index, length, proof);
                        Optional<byte[]> answer = MerkleProofs.answer(concat(pieces), pieceLayer, request);
                        if (base < pieceLayer) {
                            assertTrue(answer.isEmpty(), "below the piece layer: " + request);
                            continue;
                        }
                        assertArrayEquals(expectedAnswer(tree, base - pieceLayer, request), answer.orElseThrow(),
                                request.toString());
                        answered++;
                        Optional<byte[]> verified = MerkleProofs.verify(root, height, request, answer.get());
                        if (base + proof == height - 1) {
                            assertArrayEquals(Arrays.copyOf(answer.get(), length * H), verified.orElseThrow(),
                                    "verifies: " + request);
                        } else {
                            assertTrue(verified.isEmpty(), "proofs short of the root prove nothing: " + request);
                        }
                    }
                }
            }
        }
        assertTrue(answered > 0);
    }

    private static byte[] expectedAnswer(List<byte[][]> tree, int baseInTree, MerkleProofs.Request request) {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < request.length(); i++) {
            hashes.add(tree.get(baseInTree)[request.index() + i]);
        }
        for (int k = Integer.numberOfTrailingZeros(request.length()); k <= request.proofLayers(); k++) {
            hashes.add(tree.get(baseInTree + k)[(request.index() >> k) ^ 1]);
        }
        assertEquals(request.length() + request.uncleCount(), hashes.size());
        return concat(hashes.toArray(byte[][]::new));
    }

    @Test
    void theLastPiecesAreFollowedByThePadOfThePieceLayer() {
        byte[][] pieces = randomPieces(3, 7);
        // 3 pieces of 64 KiB (layer 2): the tree is 4 pieces wide, the 4th the root of 4 zero leaves
        byte[] answer = MerkleProofs.answer(concat(pieces), 2, new MerkleProofs.Request(2, 2, 2, 0)).orElseThrow();
        assertEquals(2 * H, answer.length, "two base hashes, no proof asked for");
        assertArrayEquals(pieces[2], Arrays.copyOfRange(answer, 0, H));
        assertArrayEquals(MerkleTree.padHash(2), Arrays.copyOfRange(answer, H, 2 * H));
        byte[] withUncle = MerkleProofs.answer(concat(pieces), 2, new MerkleProofs.Request(2, 3, 1, 1)).orElseThrow();
        assertArrayEquals(MerkleTree.padHash(2), Arrays.copyOfRange(withUncle, 0, H), "a pad as a base hash");
        assertArrayEquals(pieces[2], Arrays.copyOfRange(withUncle, H, 2 * H), "its sibling the last piece");
    }

    @Test
    void wrongProofsAreRejected() {
        byte[][] pieces = randomPieces(11, 3);
        int height = MerkleProofs.height(1, 11);
        byte[] root = MerkleTree.root(concat(pieces), 1);
        MerkleProofs.Request request = new MerkleProofs.Request(1, 4, 4, height - 2);
        byte[] answer = MerkleProofs.answer(concat(pieces), 1, request).orElseThrow();
        assertEquals(4 + 2, answer.length / H, "four base hashes and two uncles");
        assertTrue(MerkleProofs.verify(root, height, request, answer).isPresent());
        for (int hash = 0; hash < answer.length / H; hash++) {
            byte[] bad = answer.clone();
            bad[hash * H + 5] ^= 1;
            assertTrue(MerkleProofs.verify(root, height, request, bad).isEmpty(), "hash " + hash + " altered");
        }
        byte[] swapped = answer.clone();
        System.arraycopy(answer, 4 * H, swapped, 5 * H, H);
        System.arraycopy(answer, 5 * H, swapped, 4 * H, H);
        assertTrue(MerkleProofs.verify(root, height, request, swapped).isEmpty(), "uncles out of order");
        assertTrue(MerkleProofs.verify(root, height, new MerkleProofs.Request(1, 0, 4, height - 2), answer).isEmpty(),
                "the right hashes claimed for another index");
        assertTrue(MerkleProofs.verify(root, height, request, Arrays.copyOf(answer, 5 * H)).isEmpty(), "an uncle short");
        byte[] otherRoot = root.clone();
        otherRoot[0] ^= 1;
        assertTrue(MerkleProofs.verify(otherRoot, height, request, answer).isEmpty(), "another file's root");
        assertTrue(MerkleProofs.verify(root, height + 1, new MerkleProofs.Request(1, 4, 4, height - 1),
                MerkleProofs.answer(concat(pieces), 1, request).orElseThrow()).isEmpty(), "a taller tree");
    }

    @Test
    void malformedRequestsHaveNoAnswer() {
        byte[] layer = concat(randomPieces(5, 1));
        int height = MerkleProofs.height(0, 5);
        assertEquals(3, height);
        for (MerkleProofs.Request bad : List.of(new MerkleProofs.Request(0, 0, 3, 0), new MerkleProofs.Request(0, 2, 4, 0),
                new MerkleProofs.Request(0, 8, 1, 0), new MerkleProofs.Request(0, 4, 8, 0),
                new MerkleProofs.Request(3, 0, 1, 0), new MerkleProofs.Request(0, 0, 2, 3),
                new MerkleProofs.Request(-1, 0, 2, 0), new MerkleProofs.Request(0, -2, 2, 0))) {
            assertNotNull(MerkleProofs.problem(height, bad), bad.toString());
            assertTrue(MerkleProofs.answer(layer, 0, bad).isEmpty(), bad.toString());
            assertTrue(MerkleProofs.verify(new byte[H], height, bad, new byte[0]).isEmpty(), bad.toString());
        }
        assertNull(MerkleProofs.problem(height, new MerkleProofs.Request(0, 6, 2, 2)));
    }

    @Test
    void aPieceLayerIsFetchedIn512HashChunksEachProvedToTheRoot() {
        int pieceCount = 1500;
        byte[] layer = concat(randomPieces(pieceCount, 11));
        byte[] root = MerkleTree.root(layer, 2);
        int height = MerkleProofs.height(2, pieceCount);
        List<MerkleProofs.Request> requests = MerkleProofs.pieceLayerRequests(2, pieceCount);
        assertEquals(List.of(new MerkleProofs.Request(2, 0, 512, 10), new MerkleProofs.Request(2, 512, 512, 10),
                new MerkleProofs.Request(2, 1024, 512, 10)), requests);
        List<byte[]> chunks = new ArrayList<>();
        for (MerkleProofs.Request request : requests) {
            assertEquals(2, request.uncleCount(), "the 2048-wide layer: two uncles above a 512-hash subtree");
            chunks.add(MerkleProofs.verify(root, height, request,
                    MerkleProofs.answer(layer, 2, request).orElseThrow()).orElseThrow());
        }
        assertArrayEquals(layer, MerkleProofs.assemblePieceLayer(chunks, 2, pieceCount, root));
        assertEquals(List.of(new MerkleProofs.Request(0, 0, 4, 1)), MerkleProofs.pieceLayerRequests(0, 3),
                "a short file: one request as wide as the tree, no uncles");
        assertEquals(List.of(new MerkleProofs.Request(0, 0, 512, 9), new MerkleProofs.Request(0, 512, 1, 9)),
                MerkleProofs.pieceLayerRequests(0, 513));
        byte[] otherRoot = root.clone();
        otherRoot[31] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.assemblePieceLayer(chunks, 2, pieceCount, otherRoot));
        assertThrows(IllegalArgumentException.class,
                () -> MerkleProofs.assemblePieceLayer(chunks.subList(0, 2), 2, pieceCount, root), "a chunk missing");
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.pieceLayerRequests(3, 1));
    }

    @Test
    void heightsFollowTheFilesBlocks() {
        assertEquals(0, MerkleProofs.heightOfFile(1));
        assertEquals(0, MerkleProofs.heightOfFile(MerkleTree.BLOCK_SIZE));
        assertEquals(1, MerkleProofs.heightOfFile(MerkleTree.BLOCK_SIZE + 1));
        assertEquals(3, MerkleProofs.heightOfFile(5L * MerkleTree.BLOCK_SIZE));
        // 3 pieces of 4 blocks with a short last piece: 9 blocks, 16 leaves, the same as 3 pieces 4 wide
        assertEquals(MerkleProofs.height(2, 3), MerkleProofs.heightOfFile(8L * MerkleTree.BLOCK_SIZE + 1));
        assertEquals(49, MerkleProofs.heightOfFile(Long.MAX_VALUE));
    }
}
