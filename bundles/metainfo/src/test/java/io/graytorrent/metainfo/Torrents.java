package io.graytorrent.metainfo;

import io.graytorrent.bencode.BencodeEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds .torrent files and their data for tests; the info maps are mutable so a test can break one field. */
final class Torrents {
    static final int PIECE = 16 * 1024;

    private Torrents() {
    }

    /** A valid single-file info dictionary with zeroed piece hashes of the right count. */
    static Map<String, Object> singleFileInfo(String name, long length) {
        Map<String, Object> info = info(name, length);
        info.put("length", length);
        return info;
    }

    /** A valid multi-file info dictionary; {@code files} holds maps with "length" and "path". */
    static Map<String, Object> multiFileInfo(String name, List<Map<String, Object>> files) {
        Map<String, Object> info = info(name, files.stream().mapToLong(f -> ((Number) f.get("length")).longValue()).sum());
        info.put("files", files);
        return info;
    }

    private static Map<String, Object> info(String name, long total) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", PIECE);
        info.put("pieces", hashesFor(total, PIECE));
        return info;
    }

    static Map<String, Object> file(long length, String... path) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("length", length);
        file.put("path", List.of(path));
        return file;
    }

    static byte[] hashesFor(long total, int pieceLength) {
        return new byte[(int) ((total + pieceLength - 1) / pieceLength) * Metainfo.HASH_LENGTH];
    }

    /** The torrent {@code {info: info, key1: value1, ...}}, keys sorted as BEP 3 requires. */
    static byte[] torrent(Map<String, Object> info, Object... outerKeysAndValues) {
        Map<String, Object> torrent = new LinkedHashMap<>();
        torrent.put("info", info);
        for (int i = 0; i < outerKeysAndValues.length; i += 2) {
            torrent.put((String) outerKeysAndValues[i], outerKeysAndValues[i + 1]);
        }
        return BencodeEncoder.encode(torrent);
    }

    /** A torrent whose info dictionary is given as raw bencode, byte for byte. */
    static byte[] torrentWithRawInfo(String rawInfo) {
        return ("d4:info" + rawInfo + "e").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code size} pseudo-random bytes (seeded by the path) to {@code dir/relative}. */
    static Path writeFile(Path dir, String relative, int size) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        byte[] data = new byte[size];
        new Random(relative.hashCode()).nextBytes(data);
        return Files.write(file, data);
    }
}
