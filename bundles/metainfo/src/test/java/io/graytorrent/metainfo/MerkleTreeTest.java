package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Unit
class MerkleTreeTest {
    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static byte[] hash(int seed) throws Exception {
        return sha256(new byte[] {(byte) seed});
    }

    private static byte[] concat(byte[]... hashes) {
        byte[] all = new byte[hashes.length * 32];
        for (int i = 0; i < hashes.length; i++) {
            System.arraycopy(hashes[i], 0, all, i * 32, 32);
        }
        return all;
    }

    @Test
    void padsAreRootsOfZeroSubtrees() throws Exception {
        assertArrayEquals(new byte[32], MerkleTree.padHash(0));
        assertArrayEquals(sha256(new byte[64]), MerkleTree.padHash(1));
        assertArrayEquals(sha256(MerkleTree.padHash(1), MerkleTree.padHash(1)), MerkleTree.padHash(2));
    }

    @Test
    void rootsOfSmallTreesAsBep52DefinesThem() throws Exception {
        byte[] a = hash(1);
        byte[] b = hash(2);
        byte[] c = hash(3);
        assertArrayEquals(a, MerkleTree.root(a, 0), "one leaf is its own root");
        assertArrayEquals(sha256(a, b), MerkleTree.root(concat(a, b), 0));
        // three leaves: the tree is four wide, the fourth leaf zeros
        assertArrayEquals(sha256(sha256(a, b), sha256(c, new byte[32])), MerkleTree.root(concat(a, b, c), 0));
        // on layer 1 the missing sibling is the root of two zero leaves
        assertArrayEquals(sha256(sha256(a, b), sha256(c, MerkleTree.padHash(1))), MerkleTree.root(concat(a, b, c), 1));
    }

    @Test
    void leavesAreTheHashesOf16KiBBlocksTheLastOneShort() throws Exception {
        byte[] data = new byte[40_000];
        new Random(1).nextBytes(data);
        byte[] leaves = MerkleTree.leaves(data, 0, data.length);
        assertEquals(3 * 32, leaves.length);
        assertArrayEquals(sha256(Arrays.copyOfRange(data, 32_768, 40_000)), Arrays.copyOfRange(leaves, 64, 96));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8, 13, 64, 100})
    void aPieceLayerLeadsToTheSameRootAsTheLeaves(int leafCount) throws Exception {
        byte[][] leaves = new byte[leafCount][];
        for (int i = 0; i < leafCount; i++) {
            leaves[i] = hash(i);
        }
        byte[] all = concat(leaves);
        byte[] root = MerkleTree.root(all, 0);
        int height = 32 - Integer.numberOfLeadingZeros(leafCount - 1);
        for (int layer = 1; layer <= Math.min(3, height); layer++) {
            byte[] pieceLayer = MerkleTree.layer(all, 0, layer);
            assertEquals((leafCount + (1 << layer) - 1 >> layer) * 32, pieceLayer.length, "only hashes covering data");
            assertArrayEquals(root, MerkleTree.root(pieceLayer, layer), "layer " + layer);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 16, 37})
    void everyHashIsProvenByItsUnclesAndNoOtherIs(int count) throws Exception {
        byte[][] hashes = new byte[count][];
        for (int i = 0; i < count; i++) {
            hashes[i] = hash(100 + i);
        }
        byte[] layer = concat(hashes);
        byte[] root = MerkleTree.root(layer, 2);
        for (int i = 0; i < count; i++) {
            List<byte[]> proof = MerkleTree.proof(layer, 2, i);
            assertEquals(count == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(count - 1),
                    proof.size(), "one uncle a layer");
            assertTrue(MerkleTree.verify(hashes[i], i, proof, root), "hash " + i);
            assertFalse(MerkleTree.verify(hash(999), i, proof, root), "a wrong hash " + i);
            if (count > 1) {
                assertFalse(MerkleTree.verify(hashes[i], i ^ 1, proof, root), "at the wrong index " + i);
                List<byte[]> broken = new ArrayList<>(proof);
                broken.set(0, hash(998));
                assertFalse(MerkleTree.verify(hashes[i], i, broken, root), "with a wrong uncle " + i);
            }
        }
        assertFalse(MerkleTree.verify(hashes[0], 1 << 20, MerkleTree.proof(layer, 2, 0), root), "index past the tree");
    }

    @Test
    void badLayersAndIndexesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.root(new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.root(new byte[33], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> MerkleTree.proof(new byte[64], 0, 2));
    }

    @Test
    void pieceLayerIndexFollowsThePieceLength() {
        assertEquals(0, MerkleTree.pieceLayer(16 * 1024));
        assertEquals(3, MerkleTree.pieceLayer(128 * 1024));
        assertEquals(15, MerkleTree.pieceLayer(512 << 20));
    }
}
