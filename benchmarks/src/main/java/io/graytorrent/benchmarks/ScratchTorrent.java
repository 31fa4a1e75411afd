package io.graytorrent.benchmarks;

import io.graytorrent.api.InfoHash;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.storage.TorrentStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/** A one-file torrent of random content, opened on real storage in a temporary directory (deleted on close). */
final class ScratchTorrent implements AutoCloseable {
    final byte[] content;
    final int pieceLength;
    final TorrentStorage storage;
    private final Path directory;
    private final StorageService service;

    ScratchTorrent(int pieces, int pieceLength) throws IOException, NoSuchAlgorithmException {
        this.pieceLength = pieceLength;
        content = new byte[pieces * pieceLength];
        new Random(1).nextBytes(content);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] hashes = new byte[pieces * Metainfo.HASH_LENGTH];
        for (int piece = 0; piece < pieces; piece++) {
            sha1.update(content, piece * pieceLength, pieceLength);
            System.arraycopy(sha1.digest(), 0, hashes, piece * Metainfo.HASH_LENGTH, Metainfo.HASH_LENGTH);
        }
        Metainfo metainfo = new Metainfo(InfoHash.of(new byte[InfoHash.LENGTH]), new byte[0], "bench", pieceLength,
                hashes, List.of(new FileEntry(List.of("bench"), content.length, 0, "")), false, List.of(), List.of(),
                false, Optional.empty(), Optional.empty(), Optional.empty());
        directory = Files.createTempDirectory("gray-bench");
        service = Storages.create(StorageConfig.defaults(directory.resolve("state")));
        storage = service.open(metainfo, directory.resolve("data"), List.of()).join();
    }

    @Override
    public void close() throws IOException {
        storage.closeAsync().join();
        service.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
