package io.graytorrent.metainfo;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds v2 and hybrid torrents for tests from real data: merkle roots and piece layers computed
 * with {@link MerkleTree}, v1 pad files and SHA-1 pieces for hybrids. Files are given in tree order
 * (sorted), as the encoder writes the tree. The maps are mutable so a test can break one field.
 */
final class V2Torrents {
    private static final BValue.Span NO_SPAN = new BValue.Span(new byte[0], 0, 0);
    final String name;
    final int pieceLength;
    final List<List<String>> paths = new ArrayList<>();
    final List<byte[]> contents = new ArrayList<>();

    V2Torrents(String name, int pieceLength) {
        this.name = name;
        this.pieceLength = pieceLength;
    }

    /** Adds a file of {@code length} pseudo-random bytes at {@code path}. */
    V2Torrents file(int length, String... path) {
        byte[] data = new byte[length];
        new Random(paths.size() * 31L + length).nextBytes(data);
        paths.add(List.of(path));
        contents.add(data);
        return this;
    }

    static byte[] root(byte[] data) {
        return MerkleTree.root(MerkleTree.leaves(data, 0, data.length), 0);
    }

    byte[] layer(byte[] data) {
        return MerkleTree.layer(MerkleTree.leaves(data, 0, data.length), 0, MerkleTree.pieceLayer(pieceLength));
    }

    /** The v2 info dictionary; with {@code hybrid}, the v1 keys too (pad files after each file but the last). */
    Map<String, Object> info(boolean hybrid) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            Map<String, Object> node = tree;
            for (String component : paths.get(i)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(component, c -> new LinkedHashMap<>());
                node = child;
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("length", contents.get(i).length);
            if (contents.get(i).length > 0) {
                properties.put("pieces root", root(contents.get(i)));
            }
            node.put("", properties);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file tree", tree);
        info.put("meta version", 2);
        info.put("name", name);
        info.put("piece length", pieceLength);
        if (hybrid) {
            addV1(info);
        }
        return info;
    }

    private void addV1(Map<String, Object> info) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            byte[] data = contents.get(i);
            files.add(Torrents.file(data.length, paths.get(i).toArray(String[]::new)));
            stream.writeBytes(data);
            int gap = (pieceLength - data.length % pieceLength) % pieceLength;
            if (gap > 0 && i < paths.size() - 1) {
                Map<String, Object> pad = Torrents.file(gap, ".pad", Integer.toString(gap));
                pad.put("attr", "p");
                files.add(pad);
                stream.writeBytes(new byte[gap]);
            }
        }
        byte[] all = stream.toByteArray();
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int start = 0; start < all.length; start += pieceLength) {
            pieces.writeBytes(sha1(all, start, Math.min(pieceLength, all.length - start)));
        }
        boolean single = paths.size() == 1 && paths.get(0).size() == 1;
        if (single) {
            info.put("length", contents.get(0).length);
        } else {
            info.put("files", files);
        }
        info.put("pieces", pieces.toByteArray());
    }

    /** The outer {@code piece layers}: one entry for each file longer than a piece. */
    Map<String, Object> pieceLayers() {
        Map<String, Object> layers = new LinkedHashMap<>();
        for (byte[] data : contents) {
            if (data.length > pieceLength) {
                layers.put(new String(root(data), StandardCharsets.ISO_8859_1), layer(data));
            }
        }
        return layers;
    }

    static byte[] torrent(Map<String, Object> info, Map<String, Object> pieceLayers) {
        Map<String, Object> torrent = new LinkedHashMap<>();
        torrent.put("info", info);
        if (pieceLayers != null) { // keys are raw hashes: the encoder would take a String key for UTF-8 text
            Map<String, BValue> raw = new LinkedHashMap<>();
            pieceLayers.forEach((root, layer) -> raw.put(root, new BString((byte[]) layer, NO_SPAN)));
            torrent.put("piece layers", new BDictionary(raw, NO_SPAN));
        }
        return BencodeEncoder.encode(torrent);
    }

    byte[] torrent(boolean hybrid) {
        return torrent(info(hybrid), pieceLayers());
    }

    private static byte[] sha1(byte[] data, int offset, int length) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, offset, length);
            return sha1.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
