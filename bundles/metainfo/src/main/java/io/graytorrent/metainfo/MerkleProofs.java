package io.graytorrent.metainfo;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Answers to, and checks of, BEP 52 hash requests: a run of hashes from one layer of a file's merkle
 * tree with the uncle hashes that prove them against the file's pieces root.
 *
 * <p>A file's tree is {@link #height} layers high above its 16 KiB leaves (the root's layer); layer
 * {@code k} is {@code 2^(height - k)} hashes wide, those past the end of the file being the
 * {@link MerkleTree#padHash pad} of that layer. A request names a base layer, an index, a length
 * (a power of two, the index a multiple of it) and a number of proof layers. The answer is the
 * {@code length} base hashes (pads included), then one uncle for each proof layer above the subtree
 * the base hashes span: the siblings on layers {@code base + log2(length)} to {@code base + proofLayers},
 * nearest first (libtorrent's reading of BEP 52: "the first log2(length) - 1 proof layers are omitted").
 * A request's proofs reach at most the layer below the root.
 *
 * <p>Stateless and thread-safe.
 */
public final class MerkleProofs {
    /**
     * The most base hashes one request asks for when a piece layer is fetched: as libtorrent does, 512
     * at a time (BEP 52: a length SHOULD NOT be greater than 512).
     */
    public static final int PIECE_LAYER_CHUNK = 512;

    /**
     * A hash request's numbers, without the pieces root that names the file.
     *
     * @param baseLayer   the layer of the requested hashes, 0 the leaves
     * @param index       the first requested hash on that layer
     * @param length      how many hashes
     * @param proofLayers how many layers above the base layer the proof reaches
     */
    public record Request(int baseLayer, int index, int length, int proofLayers) {
        /** One uncle for each proof layer above the base hashes' own subtree. */
        public int uncleCount() {
            return Math.max(0, proofLayers - Integer.numberOfTrailingZeros(length) + 1);
        }
    }

    private MerkleProofs() {
    }

    /**
     * The height of a file's tree: its root's layer. A file of {@code pieceCount} pieces (at least one)
     * of {@code 16 KiB << pieceLayer} bytes; a file of one piece is as high as its blocks need, which
     * only its length knows, so for one piece this is a bound, exact only for a full piece.
     */
    public static int height(int pieceLayer, int pieceCount) {
        if (pieceCount < 1 || pieceLayer < 0) {
            throw new IllegalArgumentException(pieceCount + " pieces on layer " + pieceLayer);
        }
        return pieceLayer + ceilLog2(pieceCount);
    }

    /** The height of the tree of a file of {@code length} bytes (at least one). */
    public static int heightOfFile(long length) {
        if (length < 1) {
            throw new IllegalArgumentException("an empty file has no tree");
        }
        long blocks = (length - 1) / MerkleTree.BLOCK_SIZE + 1;
        return 64 - Long.numberOfLeadingZeros(blocks - 1);
    }

    /**
     * What makes {@code request} unanswerable for a tree {@code height} high, or null if nothing: a
     * length that is no power of two, an index that is not a multiple of it, hashes past the layer's
     * width, a base layer at or above the root, proofs reaching the root's layer.
     */
    public static String problem(int height, Request request) {
        int base = request.baseLayer();
        long length = request.length();
        if (length < 1 || Long.bitCount(length) != 1 || request.index() < 0 || request.index() % length != 0) {
            return "length " + length + " at index " + request.index() + " is no power of two at a multiple of it";
        }
        if (base < 0 || base >= height) {
            return "base layer " + base + " is not below the root's layer " + height;
        }
        if (request.index() + length > 1L << (height - base)) {
            return "hashes " + request.index() + ".." + (request.index() + length - 1) + " past the "
                    + (1L << (height - base)) + " of layer " + base;
        }
        if (request.proofLayers() < 0 || base + request.proofLayers() >= height) {
            return request.proofLayers() + " proof layers above layer " + base + " reach the root's layer " + height;
        }
        return null;
    }

    /**
     * The answer to {@code request} from a file's piece layer ({@code pieceLayerHashes}, its pieces'
     * hashes concatenated, on layer {@code pieceLayer}): the base hashes then the uncles, or empty
     * when the request is malformed for this tree or asks for hashes below the piece layer, which
     * only the file's data could give. Computes the tree above the piece layer: a server answering
     * many requests keeps {@link #tree} and asks {@link #answer(List, int, Request)}.
     */
    public static Optional<byte[]> answer(byte[] pieceLayerHashes, int pieceLayer, Request request) {
        return answer(tree(pieceLayerHashes, pieceLayer), pieceLayer, request);
    }

    /**
     * Every layer of a file's tree from its piece layer ({@code pieceLayerHashes}, on layer
     * {@code pieceLayer}) up to the root, each holding the hashes that cover data (pads implied):
     * about twice the piece layer's size.
     */
    public static List<byte[]> tree(byte[] pieceLayerHashes, int pieceLayer) {
        int height = height(pieceLayer, count(pieceLayerHashes));
        List<byte[]> layers = new ArrayList<>(height - pieceLayer + 1);
        byte[] current = pieceLayerHashes;
        layers.add(current);
        for (int layer = pieceLayer; layer < height; layer++) {
            current = MerkleTree.parents(current, layer);
            layers.add(current);
        }
        return layers;
    }

    /** The answer to {@code request} from a file's {@link #tree} (as {@link #answer(byte[], int, Request)}). */
    public static Optional<byte[]> answer(List<byte[]> tree, int pieceLayer, Request request) {
        int height = pieceLayer + tree.size() - 1;
        if (problem(height, request) != null || request.baseLayer() < pieceLayer) {
            return Optional.empty();
        }
        int base = request.baseLayer();
        int length = request.length();
        byte[] answer = new byte[(length + request.uncleCount()) * MerkleTree.HASH_LENGTH];
        for (int i = 0; i < length; i++) {
            copy(tree.get(base - pieceLayer), base, request.index() + i, answer, i);
        }
        int out = length;
        for (int k = Integer.numberOfTrailingZeros(length); k <= request.proofLayers(); k++, out++) {
            copy(tree.get(base + k - pieceLayer), base + k, (request.index() >>> k) ^ 1, answer, out);
        }
        return Optional.of(answer);
    }

    /**
     * The answer to a request for hashes below the piece layer (block hashes, or a layer between), from the one
     * piece they lie in: {@code pieceLeaves}, the SHA-256 of each 16 KiB block of that piece's file data, and the
     * file's {@link #tree} from the piece layer up for the uncles above the piece. Empty when the request is malformed
     * for the tree, is not below the piece layer, spans more than one piece, or the leaves do not fold to the
     * piece's hash in the tree (they are not that piece's).
     */
    public static Optional<byte[]> answerWithinPiece(List<byte[]> tree, int pieceLayer, byte[] pieceLeaves,
                                                     Request request) {
        int height = pieceLayer + tree.size() - 1;
        int base = request.baseLayer();
        int length = request.length();
        if (problem(height, request) != null || base >= pieceLayer
                || base + Integer.numberOfTrailingZeros(length) > pieceLayer || pieceLeaves.length == 0) {
            return Optional.empty();
        }
        int piece = request.index() >>> (pieceLayer - base);
        List<byte[]> subtree = new ArrayList<>(pieceLayer - base); // the piece's layers base .. pieceLayer - 1
        byte[] current = MerkleTree.layer(pieceLeaves, 0, base);
        for (int layer = base; layer < pieceLayer; layer++) {
            subtree.add(current);
            current = MerkleTree.parents(current, layer);
        }
        byte[] pieceHash = new byte[MerkleTree.HASH_LENGTH];
        copy(tree.get(0), pieceLayer, piece, pieceHash, 0);
        if (count(current) != 1 || !MessageDigest.isEqual(current, pieceHash)) {
            return Optional.empty();
        }
        byte[] answer = new byte[(length + request.uncleCount()) * MerkleTree.HASH_LENGTH];
        for (int i = 0; i < length; i++) {
            copy(subtree.get(0), base, request.index() - (piece << (pieceLayer - base)) + i, answer, i);
        }
        int out = length;
        for (int k = Integer.numberOfTrailingZeros(length); k <= request.proofLayers(); k++, out++) {
            int layer = base + k;
            int sibling = (request.index() >>> k) ^ 1;
            if (layer < pieceLayer) {
                copy(subtree.get(layer - base), layer, sibling - (piece << (pieceLayer - layer)), answer, out);
            } else {
                copy(tree.get(layer - pieceLayer), layer, sibling, answer, out);
            }
        }
        return Optional.of(answer);
    }

    /**
     * The base hashes of {@code hashes}, an answer to {@code request} for the file whose tree is
     * {@code height} high with root {@code root}, if they are proved: the base hashes' subtree and
     * the uncles hash up to the root. Empty if the answer is malformed, proves anything else, or
     * its proofs stop short of the root.
     */
    public static Optional<byte[]> verify(byte[] root, int height, Request request, byte[] hashes) {
        if (problem(height, request) != null || request.baseLayer() + request.proofLayers() != height - 1
                || hashes.length != (request.length() + request.uncleCount()) * MerkleTree.HASH_LENGTH) {
            return Optional.empty();
        }
        int lengthBytes = request.length() * MerkleTree.HASH_LENGTH;
        byte[] base = Arrays.copyOf(hashes, lengthBytes);
        int subtreeLayers = Integer.numberOfTrailingZeros(request.length());
        byte[] node = MerkleTree.layer(base, request.baseLayer(), request.baseLayer() + subtreeLayers);
        List<byte[]> uncles = new ArrayList<>(request.uncleCount());
        for (int offset = lengthBytes; offset < hashes.length; offset += MerkleTree.HASH_LENGTH) {
            uncles.add(Arrays.copyOfRange(hashes, offset, offset + MerkleTree.HASH_LENGTH));
        }
        return MerkleTree.verify(node, request.index() >>> subtreeLayers, uncles, root) ? Optional.of(base)
                : Optional.empty();
    }

    /**
     * The requests that fetch the whole piece layer of a file of {@code pieceCount} pieces (at least
     * two: a file of one piece has no piece layer): {@value #PIECE_LAYER_CHUNK} hashes at a time, the
     * last request as short as a power of two allows, each proved up to the root.
     */
    public static List<Request> pieceLayerRequests(int pieceLayer, int pieceCount) {
        if (pieceCount < 2) {
            throw new IllegalArgumentException("a file of " + pieceCount + " piece has no piece layer");
        }
        int height = height(pieceLayer, pieceCount);
        List<Request> requests = new ArrayList<>();
        for (int index = 0; index < pieceCount; index += PIECE_LAYER_CHUNK) {
            int length = Math.min(PIECE_LAYER_CHUNK, 1 << ceilLog2(pieceCount - index));
            requests.add(new Request(pieceLayer, index, length, height - pieceLayer - 1));
        }
        return requests;
    }

    /**
     * A file's piece layer from the verified base hashes of {@link #pieceLayerRequests}' answers, in
     * request order: the padding past the last piece dropped; checked again as a whole against the root.
     *
     * @throws IllegalArgumentException if the layer does not hash to {@code root}
     */
    public static byte[] assemblePieceLayer(List<byte[]> verifiedChunks, int pieceLayer, int pieceCount, byte[] root) {
        byte[] layer = new byte[pieceCount * MerkleTree.HASH_LENGTH];
        int offset = 0;
        for (byte[] chunk : verifiedChunks) {
            int take = Math.min(chunk.length, layer.length - offset);
            System.arraycopy(chunk, 0, layer, offset, take);
            offset += take;
        }
        if (offset != layer.length || !MessageDigest.isEqual(MerkleTree.root(layer, pieceLayer), root)) {
            throw new IllegalArgumentException("the piece layer does not hash to the file's pieces root");
        }
        return layer;
    }

    private static void copy(byte[] layer, int layerIndex, int position, byte[] out, int outPosition) {
        int at = outPosition * MerkleTree.HASH_LENGTH;
        if ((long) position * MerkleTree.HASH_LENGTH < layer.length) {
            System.arraycopy(layer, position * MerkleTree.HASH_LENGTH, out, at, MerkleTree.HASH_LENGTH);
        } else {
            System.arraycopy(MerkleTree.padHash(layerIndex), 0, out, at, MerkleTree.HASH_LENGTH);
        }
    }

    private static int count(byte[] hashes) {
        if (hashes.length == 0 || hashes.length % MerkleTree.HASH_LENGTH != 0) {
            throw new IllegalArgumentException("a layer of " + hashes.length + " bytes is no list of hashes");
        }
        return hashes.length / MerkleTree.HASH_LENGTH;
    }

    private static int ceilLog2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }
}
