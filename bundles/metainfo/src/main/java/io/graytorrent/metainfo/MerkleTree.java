package io.graytorrent.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BEP 52 file merkle trees: SHA-256, branching factor 2, leaves the hashes of 16 KiB blocks, the
 * tree made a power of two wide by leaves of zeros. A layer is a list of 32-byte hashes held
 * concatenated; layer 0 is the leaves, layer {@code k} covers {@code 16 KiB << k} bytes a hash.
 * Hashes past the end of a file are never stored: each layer holds what covers data, and the
 * missing right sibling of its last hash is the {@link #padHash pad} of that layer.
 *
 * <p>Stateless and thread-safe.
 */
public final class MerkleTree {
    public static final int BLOCK_SIZE = 16 * 1024;
    public static final int HASH_LENGTH = 32;
    private static final int MAX_LAYERS = 64;
    private static final byte[][] PADS = pads();

    private MerkleTree() {
    }

    /** The root of a subtree {@code layer} high whose leaves are all zeros. */
    public static byte[] padHash(int layer) {
        return PADS[layer].clone();
    }

    /** The layer of a file's piece hashes for {@code pieceLength} (a power of two ≥ 16 KiB). */
    public static int pieceLayer(int pieceLength) {
        return Integer.numberOfTrailingZeros(pieceLength / BLOCK_SIZE);
    }

    /** The leaves of {@code data}: the SHA-256 of each 16 KiB block, the last block possibly short. */
    public static byte[] leaves(byte[] data, int offset, int length) {
        MessageDigest sha256 = sha256();
        int blocks = (length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        byte[] leaves = new byte[blocks * HASH_LENGTH];
        for (int block = 0; block < blocks; block++) {
            int start = block * BLOCK_SIZE;
            sha256.update(data, offset + start, Math.min(BLOCK_SIZE, length - start));
            System.arraycopy(sha256.digest(), 0, leaves, block * HASH_LENGTH, HASH_LENGTH);
        }
        return leaves;
    }

    /** The layer above {@code hashes} (which sit on {@code layer}): one parent per pair, padded. */
    public static byte[] parents(byte[] hashes, int layer) {
        int count = count(hashes);
        byte[] parents = new byte[(count + 1) / 2 * HASH_LENGTH];
        MessageDigest sha256 = sha256();
        for (int i = 0; i < count; i += 2) {
            sha256.update(hashes, i * HASH_LENGTH, HASH_LENGTH);
            if (i + 1 < count) {
                sha256.update(hashes, (i + 1) * HASH_LENGTH, HASH_LENGTH);
            } else {
                sha256.update(PADS[layer]);
            }
            System.arraycopy(sha256.digest(), 0, parents, i / 2 * HASH_LENGTH, HASH_LENGTH);
        }
        return parents;
    }

    /** The layer {@code to} of a tree whose layer {@code from} is {@code hashes} ({@code to ≥ from}). */
    public static byte[] layer(byte[] hashes, int from, int to) {
        byte[] current = hashes;
        for (int layer = from; layer < to; layer++) {
            current = parents(current, layer);
        }
        return current;
    }

    /** The root of the tree whose layer {@code layer} is {@code hashes} (at least one hash). */
    public static byte[] root(byte[] hashes, int layer) {
        byte[] current = hashes;
        for (int level = layer; count(current) > 1; level++) {
            current = parents(current, level);
        }
        return current;
    }

    /**
     * The uncle hashes that prove hash {@code index} of {@code hashes} (on {@code layer}) against
     * the root: the sibling on each layer from {@code layer} up, nearest first.
     */
    public static List<byte[]> proof(byte[] hashes, int layer, int index) {
        if (index < 0 || index >= count(hashes)) {
            throw new IndexOutOfBoundsException("hash " + index + " of " + count(hashes));
        }
        List<byte[]> uncles = new ArrayList<>();
        byte[] current = hashes;
        for (int level = layer, i = index; count(current) > 1; level++, i /= 2) {
            int sibling = i ^ 1;
            uncles.add(sibling < count(current)
                    ? Arrays.copyOfRange(current, sibling * HASH_LENGTH, (sibling + 1) * HASH_LENGTH)
                    : PADS[level].clone());
            current = parents(current, level);
        }
        return uncles;
    }

    /** Whether {@code hash}, at {@code index} of its layer, leads through {@code uncles} to {@code root}. */
    public static boolean verify(byte[] hash, int index, List<byte[]> uncles, byte[] root) {
        MessageDigest sha256 = sha256();
        byte[] current = hash;
        int i = index;
        for (byte[] uncle : uncles) {
            sha256.update((i & 1) == 0 ? current : uncle);
            sha256.update((i & 1) == 0 ? uncle : current);
            current = sha256.digest();
            i >>>= 1;
        }
        return i == 0 && MessageDigest.isEqual(current, root);
    }

    /** A new SHA-256 digest (every Java runtime has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static int count(byte[] hashes) {
        if (hashes.length == 0 || hashes.length % HASH_LENGTH != 0) {
            throw new IllegalArgumentException("a layer of " + hashes.length + " bytes is no list of hashes");
        }
        return hashes.length / HASH_LENGTH;
    }

    private static byte[][] pads() {
        byte[][] pads = new byte[MAX_LAYERS][];
        pads[0] = new byte[HASH_LENGTH];
        MessageDigest sha256 = sha256();
        for (int layer = 1; layer < MAX_LAYERS; layer++) {
            sha256.update(pads[layer - 1]);
            sha256.update(pads[layer - 1]);
            pads[layer] = sha256.digest();
        }
        return pads;
    }
}
