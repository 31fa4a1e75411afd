package io.graytorrent.metainfo;

import io.graytorrent.api.InfoHash;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed, validated .torrent (v1, or the v1 part of a hybrid). Immutable.
 *
 * @param infoHash     SHA-1 of the exact bytes of the {@code info} dictionary
 * @param info         those bytes, as received (what BEP 9 serves to peers)
 * @param name         the suggested name (UTF-8, {@code name.utf-8} preferred), already safe
 * @param pieceLength  bytes per piece (the last piece may be shorter)
 * @param pieceHashes  concatenated 20-byte SHA-1 hashes, one per piece
 * @param files        the files in torrent order, padding files included
 * @param multiFile    whether the info dictionary has a {@code files} list (then the files
 *                     live in a directory called {@code name})
 * @param trackerTiers BEP 12 tiers in file order ({@code announce} alone is one tier)
 * @param webSeeds     BEP 19 {@code url-list}
 * @param isPrivate    BEP 27 {@code private=1}
 */
public record Metainfo(
        InfoHash infoHash,
        byte[] info,
        String name,
        int pieceLength,
        byte[] pieceHashes,
        List<FileEntry> files,
        boolean multiFile,
        List<List<String>> trackerTiers,
        List<String> webSeeds,
        boolean isPrivate,
        Optional<Instant> creationDate,
        Optional<String> createdBy,
        Optional<String> comment) {

    public static final int HASH_LENGTH = 20;

    public Metainfo {
        files = List.copyOf(files);
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
    }

    /** Sum of all file lengths, padding included (64-bit: torrents over 2 GiB are common). */
    public long totalLength() {
        return files.isEmpty() ? 0 : files.get(files.size() - 1).offset() + files.get(files.size() - 1).length();
    }

    public int pieceCount() {
        return pieceHashes.length / HASH_LENGTH;
    }

    /** The length of piece {@code index}: {@link #pieceLength()} except for a shorter last piece. */
    public int pieceLength(int index) {
        long start = (long) index * pieceLength;
        return (int) Math.min(pieceLength, totalLength() - start);
    }

    /** A copy of the 20-byte SHA-1 of piece {@code index}. */
    public byte[] pieceHash(int index) {
        return Arrays.copyOfRange(pieceHashes, index * HASH_LENGTH, (index + 1) * HASH_LENGTH);
    }

    /** Trackers of all tiers, flattened, in order. */
    public List<String> trackers() {
        return trackerTiers.stream().flatMap(List::stream).toList();
    }
}
