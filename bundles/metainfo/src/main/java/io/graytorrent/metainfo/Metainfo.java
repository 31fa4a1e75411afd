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
 * @param v2           the BEP 52 view of a v2-only or hybrid torrent. For a v2-only torrent this
 *                     record is its download layout: {@code infoHash} is the v2 infohash's first 20
 *                     bytes (what the wire, trackers and the DHT use), {@code pieceHashes} is empty
 *                     (pieces verify against merkle trees, see {@link V2Pieces}) and {@code files}
 *                     hold a padding file after each file that does not end on a piece boundary, so
 *                     every file starts a piece and no piece spans two files
 * @param httpSeeds    BEP 17 {@code httpseeds}: servers answering {@code ?info_hash=&piece=&ranges=}
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
        Optional<String> comment,
        Optional<MetainfoV2> v2,
        List<String> httpSeeds) {

    public static final int HASH_LENGTH = 20;

    public Metainfo {
        files = List.copyOf(files);
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
        httpSeeds = List.copyOf(httpSeeds);
        if (pieceHashes.length == 0 && v2.isEmpty()) {
            throw new IllegalArgumentException("a torrent without v1 piece hashes needs its v2 view");
        }
    }

    /** A torrent without BEP 17 HTTP seeds. */
    public Metainfo(InfoHash infoHash, byte[] info, String name, int pieceLength, byte[] pieceHashes,
            List<FileEntry> files, boolean multiFile, List<List<String>> trackerTiers, List<String> webSeeds,
            boolean isPrivate, Optional<Instant> creationDate, Optional<String> createdBy, Optional<String> comment,
            Optional<MetainfoV2> v2) {
        this(infoHash, info, name, pieceLength, pieceHashes, files, multiFile, trackerTiers, webSeeds, isPrivate,
                creationDate, createdBy, comment, v2, List.of());
    }

    /** A v1 torrent (no BEP 52 view, no BEP 17 HTTP seeds). */
    public Metainfo(InfoHash infoHash, byte[] info, String name, int pieceLength, byte[] pieceHashes,
            List<FileEntry> files, boolean multiFile, List<List<String>> trackerTiers, List<String> webSeeds,
            boolean isPrivate, Optional<Instant> creationDate, Optional<String> createdBy, Optional<String> comment) {
        this(infoHash, info, name, pieceLength, pieceHashes, files, multiFile, trackerTiers, webSeeds, isPrivate,
                creationDate, createdBy, comment, Optional.empty());
    }

    /** This torrent with its BEP 52 view attached (a hybrid's v1 view). */
    public Metainfo withV2(MetainfoV2 view) {
        return new Metainfo(infoHash, info, name, pieceLength, pieceHashes, files, multiFile, trackerTiers, webSeeds,
                isPrivate, creationDate, createdBy, comment, Optional.of(view), httpSeeds);
    }

    /** This torrent with BEP 17 HTTP seeds {@code urls} (what the parser found outside the info dictionary). */
    public Metainfo withHttpSeeds(List<String> urls) {
        return new Metainfo(infoHash, info, name, pieceLength, pieceHashes, files, multiFile, trackerTiers, webSeeds,
                isPrivate, creationDate, createdBy, comment, v2, urls);
    }

    /** Whether pieces have SHA-1 hashes (v1 and hybrid); false for a v2-only torrent. */
    public boolean hasV1Hashes() {
        return pieceHashes.length > 0;
    }

    /** Whether this is a v2-only torrent, whose pieces verify against merkle trees alone. */
    public boolean isV2Only() {
        return !hasV1Hashes();
    }

    /**
     * The infohashes that name this torrent on the wire, trackers and the DHT: {@link #infoHash()}
     * first, then a hybrid's truncated v2 infohash (a hybrid joins both swarms).
     */
    public List<InfoHash> swarmHashes() {
        if (v2.isEmpty() || isV2Only()) {
            return List.of(infoHash);
        }
        return List.of(infoHash, v2.get().infoHash().truncated());
    }

    /** Sum of all file lengths, padding included (64-bit: torrents over 2 GiB are common). */
    public long totalLength() {
        return files.isEmpty() ? 0 : files.get(files.size() - 1).offset() + files.get(files.size() - 1).length();
    }

    public int pieceCount() {
        if (hasV1Hashes()) {
            return pieceHashes.length / HASH_LENGTH;
        }
        return (int) ((totalLength() + pieceLength - 1) / pieceLength);
    }

    /** The length of piece {@code index}: {@link #pieceLength()} except for a shorter last piece. */
    public int pieceLength(int index) {
        long start = (long) index * pieceLength;
        return (int) Math.min(pieceLength, totalLength() - start);
    }

    /**
     * The bytes of piece {@code index} that peers are asked for: its {@link #pieceLength(int) length} less a BEP 47
     * padding file that ends it (a v2 file's alignment gap, or a hybrid's padding), whose bytes are zeros that
     * nobody needs to send. BEP 52 peers know a file's last piece as this short; a piece made of padding alone
     * (only a malformed v1 torrent has one) keeps its whole length.
     */
    public int dataLength(int index) {
        int length = pieceLength(index);
        long start = (long) index * pieceLength;
        long end = start + length;
        int file = lastFileStartingBefore(end);
        long dataEnd = end;
        for (; file >= 0 && files.get(file).offset() + files.get(file).length() > start; file--) {
            FileEntry entry = files.get(file);
            if (entry.length() == 0) {
                continue;
            }
            if (!entry.isPadding()) {
                break;
            }
            dataEnd = Math.max(start, entry.offset());
        }
        return dataEnd > start ? (int) (dataEnd - start) : length;
    }

    /** The last file whose offset is below {@code position}, by binary search (offsets never decrease). */
    private int lastFileStartingBefore(long position) {
        int low = 0;
        int high = files.size() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (files.get(middle).offset() < position) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** A copy of the 20-byte SHA-1 of piece {@code index} (a torrent {@link #hasV1Hashes() with them}). */
    public byte[] pieceHash(int index) {
        return Arrays.copyOfRange(pieceHashes, index * HASH_LENGTH, (index + 1) * HASH_LENGTH);
    }

    /** Trackers of all tiers, flattened, in order. */
    public List<String> trackers() {
        return trackerTiers.stream().flatMap(List::stream).toList();
    }
}
