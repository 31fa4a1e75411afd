package io.graytorrent.metainfo.internal;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.V2File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a BEP 52 {@code file tree}, each path made safe and given a place of its own, laid
 * out so that every non-empty file starts a piece, with each file's piece layer (from the outer
 * {@code piece layers}) checked against its {@code pieces root}. Recursion is bounded by the
 * decoder's nesting limit.
 */
public final class V2FileTree {
    private static final String WHERE = "info.file tree";

    private final int pieceLength;
    private final Optional<BDictionary> pieceLayers;
    private final int maxFiles;
    private final boolean layersMayFollow;
    private final FileTree placed = new FileTree();
    private final List<V2File> files = new ArrayList<>();
    /** Layers already hashed to their roots: identical files share one, so it is checked once. */
    private final Map<String, byte[]> checkedLayers = new HashMap<>();
    private long offset;

    private V2FileTree(int pieceLength, Optional<BDictionary> pieceLayers, boolean layersMayFollow, int maxFiles) {
        this.pieceLength = pieceLength;
        this.layersMayFollow = layersMayFollow;
        this.pieceLayers = pieceLayers;
        this.maxFiles = maxFiles;
    }

    /**
     * The files of {@code tree} in tree order; {@code pieceLayers} is the outer {@code piece layers}
     * dictionary, when the torrent has one; with {@code layersMayFollow} a missing layer is left empty
     * (metadata from peers: the layers are fetched later) instead of refused.
     */
    public static List<V2File> read(BDictionary tree, int pieceLength, Optional<BDictionary> pieceLayers,
            boolean layersMayFollow, int maxFiles) throws MetainfoException {
        if (fileProperties(tree, WHERE).isPresent()) {
            throw new MetainfoException("'" + WHERE + "' is itself a file, not a directory");
        }
        V2FileTree reader = new V2FileTree(pieceLength, pieceLayers, layersMayFollow, maxFiles);
        reader.directory(tree, new ArrayList<>(), WHERE);
        if (reader.files.isEmpty()) {
            throw new MetainfoException("'" + WHERE + "' holds no files");
        }
        if (reader.files.stream().allMatch(f -> f.entry().length() == 0)) {
            throw new MetainfoException("the torrent holds no data (all files are empty)");
        }
        return reader.files;
    }

    /** Whether {@code tree} holds exactly one file, at its top: a single-file torrent. */
    public static boolean isSingleFile(BDictionary tree) {
        return tree.entries().size() == 1 && tree.entries().values().iterator().next() instanceof BDictionary only
                && fileProperties(only, "").isPresent();
    }

    private void directory(BDictionary node, List<String> path, String where) throws MetainfoException {
        for (Map.Entry<String, BValue> entry : node.entries().entrySet()) {
            String name = new String(entry.getKey().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            String childWhere = where + "/" + SafePath.printable(name);
            if (!(entry.getValue() instanceof BDictionary child)) {
                throw new MetainfoException("'" + childWhere + "' is not a dictionary");
            }
            path.add(name);
            if (path.size() > SafePath.MAX_COMPONENTS) {
                throw new MetainfoException("'" + WHERE + "' is deeper than " + SafePath.MAX_COMPONENTS + " directories");
            }
            Optional<Fields> file = fileProperties(child, childWhere);
            if (file.isPresent()) {
                if (child.entries().size() != 1) {
                    throw new MetainfoException("'" + childWhere + "' is a file with other entries beside it");
                }
                file(file.get(), path);
            } else {
                directory(child, path, childWhere);
            }
            path.remove(path.size() - 1);
        }
    }

    /**
     * The properties under the empty key, when {@code node} describes a file: they have a length,
     * or are a BEP 47 symlink, which may leave it out.
     */
    private static Optional<Fields> fileProperties(BDictionary node, String where) {
        if (node.get("").orElse(null) instanceof BDictionary properties) {
            Fields fields = new Fields(properties, where + ": ");
            if (properties.get("length").isPresent() || fields.optionalString("attr").orElse("").indexOf('l') >= 0) {
                return Optional.of(fields);
            }
        }
        return Optional.empty();
    }

    private void file(Fields properties, List<String> rawPath) throws MetainfoException {
        if (files.size() >= maxFiles) {
            throw new MetainfoException("the file tree holds more than " + maxFiles + " files");
        }
        // a v2 file is never padding: alignment is implicit
        String attributes = properties.optionalString("attr").orElse("").replace("p", "");
        long length = V1Files.fileLength(properties, attributes);
        List<String> safe = SafePath.sanitize(rawPath);
        List<String> path = placed.place(safe.isEmpty() ? List.of(SafePath.REPLACEMENT) : safe);
        byte[] root = length == 0 ? new byte[0] : piecesRoot(properties);
        byte[] layer = length > pieceLength ? pieceLayer(root, length, path) : new byte[0];
        files.add(new V2File(new FileEntry(path, length, offset, attributes), root, layer));
        long pieces = (length + pieceLength - 1) / pieceLength;
        if (pieces > (Long.MAX_VALUE - offset) / pieceLength) {
            throw new MetainfoException("the total length of the files does not fit in 63 bits");
        }
        offset += pieces * pieceLength;
    }

    private static byte[] piecesRoot(Fields properties) throws MetainfoException {
        byte[] root = properties.requireString("pieces root").bytes();
        if (root.length != MerkleTree.HASH_LENGTH) {
            throw new MetainfoException("'" + properties.where() + "pieces root' is " + root.length
                    + " bytes, not 32");
        }
        if (MessageDigest.isEqual(root, new byte[MerkleTree.HASH_LENGTH])) {
            throw new MetainfoException("'" + properties.where() + "pieces root' is all zeros");
        }
        return root;
    }

    /** The file's piece layer from {@code piece layers}, checked to hash to its root. */
    private byte[] pieceLayer(byte[] root, long length, List<String> path) throws MetainfoException {
        String shown = SafePath.printable(String.join("/", path));
        boolean absent = pieceLayers.isEmpty()
                || pieceLayers.get().get(new String(root, StandardCharsets.ISO_8859_1)).isEmpty();
        if (absent && layersMayFollow) {
            return new byte[0];
        }
        if (pieceLayers.isEmpty()) {
            throw new MetainfoException("missing 'piece layers' (file '" + shown + "' spans more than one piece)");
        }
        String key = new String(root, StandardCharsets.ISO_8859_1);
        long pieces = (length + pieceLength - 1) / pieceLength;
        byte[] checked = checkedLayers.get(key);
        if (checked != null && checked.length == pieces * MerkleTree.HASH_LENGTH) {
            return checked;
        }
        if (!(pieceLayers.get().get(key).orElse(null) instanceof BString layer)) {
            throw new MetainfoException("'piece layers' has no layer for file '" + shown + "'");
        }
        if (layer.bytes().length != pieces * MerkleTree.HASH_LENGTH) {
            throw new MetainfoException("the piece layer of file '" + shown + "' is " + layer.bytes().length
                    + " bytes, but its " + pieces + " pieces need " + pieces * MerkleTree.HASH_LENGTH);
        }
        byte[] computed = MerkleTree.root(layer.bytes(), MerkleTree.pieceLayer(pieceLength));
        if (!MessageDigest.isEqual(computed, root)) {
            throw new MetainfoException("the piece layer of file '" + shown + "' does not hash to its pieces root");
        }
        checkedLayers.put(key, layer.bytes());
        return layer.bytes();
    }
}
