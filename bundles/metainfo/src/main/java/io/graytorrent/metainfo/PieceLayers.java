package io.graytorrent.metainfo;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The piece layers of a v2 or hybrid torrent's files (BEP 52), one per file of more than one piece:
 * known from the .torrent, or learnt later from peers (hash request / hashes messages) when a magnet
 * link gave the info dictionary alone. A layer is accepted only when it hashes to its file's
 * {@code pieces root}, so a layer here is as trustworthy as the info dictionary. A file of one piece
 * or less needs no layer: its root is its piece's hash.
 *
 * <p>This is the seam between the content and whoever fetches layers: the verifier asks
 * {@link #pieceHash}, which is empty while the file's layer is unknown (such a piece is neither
 * picked nor judged), and {@link #offer} fills a layer in and tells the {@link #onLearned listeners}.
 * Thread-safe: layers are set at most once, from any thread.
 */
public final class PieceLayers {
    private final MetainfoV2 torrent;
    private final int pieceLayer;
    private final AtomicReferenceArray<byte[]> layers;
    private final List<IntConsumer> listeners = new CopyOnWriteArrayList<>();

    private PieceLayers(MetainfoV2 torrent) {
        this.torrent = torrent;
        this.pieceLayer = MerkleTree.pieceLayer(torrent.pieceLength());
        this.layers = new AtomicReferenceArray<>(torrent.files().size());
        for (int file = 0; file < torrent.files().size(); file++) {
            if (!needsLayer(file) || torrent.files().get(file).pieceLayer().length > 0) {
                layers.set(file, torrent.files().get(file).pieceLayer());
            }
        }
    }

    /** The layers {@code torrent} came with (from a .torrent file: all of them; from metadata: maybe none). */
    public static PieceLayers of(MetainfoV2 torrent) {
        return new PieceLayers(torrent);
    }

    public MetainfoV2 torrent() {
        return torrent;
    }

    /** Whether file {@code file} (an index into {@link MetainfoV2#files()}) spans more than one piece. */
    public boolean needsLayer(int file) {
        return torrent.files().get(file).entry().length() > torrent.pieceLength();
    }

    /** Whether the hashes of file {@code file}'s pieces are known. */
    public boolean isKnown(int file) {
        return layers.get(file) != null;
    }

    /** The files whose layer is still unknown, in file order. */
    public List<Integer> missing() {
        return IntStream.range(0, layers.length()).filter(file -> !isKnown(file)).boxed().toList();
    }

    /** A copy of file {@code file}'s piece layer: empty while unknown, and for a file needing none. */
    public Optional<byte[]> layer(int file) {
        byte[] layer = layers.get(file);
        return layer == null || layer.length == 0 ? Optional.empty() : Optional.of(layer.clone());
    }

    /**
     * The 32-byte hash piece {@code pieceInFile} of file {@code file} must have: its piece-layer entry,
     * or the file's root for a file of one piece. Empty while the file's layer is unknown.
     */
    public Optional<byte[]> pieceHash(int file, int pieceInFile) {
        byte[] layer = layers.get(file);
        if (layer == null) {
            return Optional.empty();
        }
        if (layer.length == 0) {
            return Optional.of(torrent.files().get(file).piecesRoot().clone());
        }
        int from = pieceInFile * MerkleTree.HASH_LENGTH;
        return Optional.of(java.util.Arrays.copyOfRange(layer, from, from + MerkleTree.HASH_LENGTH));
    }

    /**
     * Offers file {@code file}'s piece layer (32 bytes a piece, as a peer sent it). True when the file's
     * layer is now known: it was already, or {@code layer} has the file's piece count and hashes to
     * its root (then listeners hear of it). False for a layer that does not: it is not kept.
     */
    public boolean offer(int file, byte[] layer) {
        if (isKnown(file)) {
            return true;
        }
        V2File entry = torrent.files().get(file);
        if (layer.length == 0 || layer.length != entry.pieceCount(torrent.pieceLength()) * MerkleTree.HASH_LENGTH
                || !MessageDigest.isEqual(MerkleTree.root(layer, pieceLayer), entry.piecesRoot())) {
            return false;
        }
        if (layers.compareAndSet(file, null, layer.clone())) {
            listeners.forEach(listener -> listener.accept(file));
        }
        return true;
    }

    /** {@code listener} hears the index of each file whose layer {@link #offer} fills in, on the offering thread. */
    public void onLearned(IntConsumer listener) {
        listeners.add(listener);
    }
}
