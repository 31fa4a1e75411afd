package io.graytorrent.metainfo;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Sha1;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.metainfo.internal.Fields;
import io.graytorrent.metainfo.internal.HybridViews;
import io.graytorrent.metainfo.internal.SafePath;
import io.graytorrent.metainfo.internal.V1Files;
import io.graytorrent.metainfo.internal.V2FileTree;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a .torrent file: BEP 3 v1, BEP 52 v2 and hybrids, with BEP 12 tracker tiers, BEP 19 web
 * seeds, BEP 27 private flag and BEP 47 file attributes. It reads what mainstream clients read and
 * validates everything a download relies on: sizes agree with the piece hashes, a v2 piece layer
 * hashes to its file's root, a hybrid's two views describe the same files, and every file path is
 * made safe to join to the download directory and unique. The infohashes are the hashes of the
 * {@code info} dictionary's bytes as received (unsorted or duplicate keys, as some old creators
 * wrote, are read, never re-encoded).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MetainfoParser {
    /** Most files in one torrent; real ones stay far below (the largest known hold ~100k). */
    public static final int MAX_FILES = 1_000_000;
    /** Largest piece accepted: what libtorrent accepts (it never creates more than 16 MiB itself). */
    public static final int MAX_PIECE_LENGTH = 512 << 20;
    /** BEP 17 HTTP seeds kept from one torrent; the rest are ignored. */
    public static final int MAX_HTTP_SEEDS = 32;
    /** The longest BEP 17 HTTP seed URL kept. */
    public static final int MAX_HTTP_SEED_URL = 2048;
    /** The BEP 52 {@code meta version} this reader knows. */
    public static final int META_VERSION_2 = 2;

    private final BencodeDecoder decoder;

    public MetainfoParser(BencodeLimits limits) {
        this.decoder = new BencodeDecoder(limits);
    }

    public MetainfoParser() {
        this(BencodeLimits.DEFAULT);
    }

    /**
     * What the engine downloads of {@code torrentFile} (the whole content of a .torrent file): a v1
     * torrent; the v1 view of a hybrid (checked against its v2 view, which it carries); or a v2-only
     * torrent laid out as {@link Metainfo} describes.
     */
    public Metainfo parse(byte[] torrentFile) throws MetainfoException {
        return downloadView(read(torrentFile));
    }

    /**
     * As {@link #parse}, for a torrent built from metadata that peers sent (BEP 9): a v2 file's piece
     * layer may be missing, as the info dictionary does not hold them; the engine learns them from
     * peers later ({@link PieceLayers#offer}). Layers that are present are still checked.
     */
    public Metainfo parseMetadata(byte[] torrentFile) throws MetainfoException {
        return downloadView(read(torrentFile, true));
    }

    /** The view the engine downloads (see {@link #parse}). */
    public static Metainfo downloadView(ParsedTorrent torrent) {
        if (torrent.v1().isEmpty()) {
            return v2Layout(torrent, torrent.v2().orElseThrow());
        }
        return torrent.v2().map(v2 -> torrent.v1().get().withV2(v2)).orElse(torrent.v1().get());
    }

    /** A v2-only torrent as the engine lays it out: a padding file in each alignment gap between files. */
    private static Metainfo v2Layout(ParsedTorrent torrent, MetainfoV2 v2) {
        List<FileEntry> files = new ArrayList<>();
        long lastData = v2.files().stream().filter(f -> f.entry().length() > 0).mapToLong(f -> f.entry().offset())
                .max().orElse(0);
        long position = 0;
        for (V2File file : v2.files()) {
            FileEntry entry = file.entry();
            if (entry.length() == 0) { // where the stream is: after the last file, no gap is left before it
                entry = new FileEntry(entry.path(), 0, position, entry.attributes());
            }
            files.add(entry);
            position = entry.offset() + entry.length();
            long gap = (v2.pieceLength() - entry.length() % v2.pieceLength()) % v2.pieceLength();
            if (entry.length() > 0 && gap > 0 && entry.offset() < lastData) {
                files.add(new FileEntry(List.of(".pad", Long.toString(gap)), gap, position, "p"));
                position += gap;
            }
        }
        return new Metainfo(v2.infoHash().truncated(), v2.info(), v2.name(), v2.pieceLength(), new byte[0], files,
                v2.multiFile(), torrent.trackerTiers(), torrent.webSeeds(), torrent.isPrivate(), torrent.creationDate(),
                torrent.createdBy(), torrent.comment(), Optional.of(v2));
    }

    /** Parses and validates {@code torrentFile}, with every view it has. */
    public ParsedTorrent read(byte[] torrentFile) throws MetainfoException {
        return read(torrentFile, false);
    }

    private ParsedTorrent read(byte[] torrentFile, boolean layersMayFollow) throws MetainfoException {
        BDictionary top = decode(torrentFile);
        Fields outer = new Fields(top, "");
        BDictionary infoDictionary = outer.requireDictionary("info");
        byte[] infoBytes = infoDictionary.rawBytes();
        Fields info = new Fields(infoDictionary, "info.");
        long metaVersion = info.optionalInteger("meta version").orElse(1L);
        if (metaVersion > META_VERSION_2) {
            throw new UnsupportedTorrentException("meta version " + metaVersion + " is newer than this reader knows ("
                    + META_VERSION_2 + ")");
        }
        boolean hasV2 = metaVersion == META_VERSION_2;
        boolean hasV1 = !hasV2 || info.get("pieces").isPresent();
        int pieceLength = pieceLength(info, hasV2);
        String rawName = info.requireText("name");
        String name = SafePath.component(rawName);

        Optional<MetainfoV2> v2 = Optional.empty();
        if (hasV2) {
            v2 = Optional.of(readV2(outer, info, infoBytes, name, rawName, pieceLength, layersMayFollow));
        }
        Optional<Metainfo> v1 = Optional.empty();
        if (hasV1) {
            v1 = Optional.of(readV1(outer, info, infoBytes, name, rawName, pieceLength));
        }
        if (v1.isPresent() && v2.isPresent()) {
            HybridViews.checkAgree(v1.get(), v2.get());
        }
        return new ParsedTorrent(v1, v2, trackerTiers(outer), webSeeds(outer), isPrivate(info), creationDate(outer),
                outer.optionalText("created by"), outer.optionalText("comment"), httpSeeds(outer));
    }

    /**
     * The top-level dictionary. Whitespace after it is tolerated (some tools end files with a
     * newline); any other trailing byte means a damaged file.
     */
    private BDictionary decode(byte[] torrentFile) throws MetainfoException {
        BValue root;
        try {
            root = decoder.decodeTolerant(torrentFile);
        } catch (BencodeException e) {
            throw new MetainfoException("not a valid torrent file: " + e.getMessage(), e);
        }
        if (!(root instanceof BDictionary top)) {
            throw new MetainfoException("not a torrent file: the top level is not a dictionary");
        }
        for (int i = root.span().end(); i < torrentFile.length; i++) {
            byte b = torrentFile[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                throw new MetainfoException("not a valid torrent file: trailing data after the torrent at offset " + i);
            }
        }
        return top;
    }

    private Metainfo readV1(Fields outer, Fields info, byte[] infoBytes, String name, String rawName,
            int pieceLength) throws MetainfoException {
        boolean multiFile = info.get("files").isPresent();
        String directory = name != null ? name : multiFile ? InfoHash.of(Sha1.of(infoBytes)).toHex() : null;
        if (directory == null) {
            throw unusableName(rawName);
        }
        List<FileEntry> files = V1Files.read(info, directory, MAX_FILES);
        long totalLength = files.get(files.size() - 1).offset() + files.get(files.size() - 1).length();
        if (totalLength == 0) {
            throw new MetainfoException("the torrent holds no data (all files are empty)");
        }
        byte[] pieceHashes = pieceHashes(info, totalLength, pieceLength);
        return new Metainfo(InfoHash.of(Sha1.of(infoBytes)), infoBytes, directory, pieceLength, pieceHashes, files,
                multiFile, trackerTiers(outer), webSeeds(outer), isPrivate(info), creationDate(outer),
                outer.optionalText("created by"), outer.optionalText("comment"), Optional.empty(), httpSeeds(outer));
    }

    private static MetainfoV2 readV2(Fields outer, Fields info, byte[] infoBytes, String name, String rawName,
            int pieceLength, boolean layersMayFollow) throws MetainfoException {
        BDictionary tree = info.requireDictionary("file tree");
        Optional<BDictionary> layers = Optional.empty();
        if (outer.get("piece layers").isPresent()) {
            layers = Optional.of(outer.requireDictionary("piece layers"));
        }
        boolean multiFile = !V2FileTree.isSingleFile(tree);
        List<V2File> files = V2FileTree.read(tree, pieceLength, layers, layersMayFollow, MAX_FILES);
        String shownName = name != null ? name : multiFile ? InfoHashV2.of(MerkleTree.sha256().digest(infoBytes)).toHex() : null;
        if (shownName == null) {
            throw unusableName(rawName);
        }
        return new MetainfoV2(InfoHashV2.of(MerkleTree.sha256().digest(infoBytes)), infoBytes, shownName, pieceLength, files, multiFile);
    }

    private static MetainfoException unusableName(String rawName) {
        return new MetainfoException("the single file's name '" + SafePath.printable(rawName)
                + "' is not a usable file name");
    }

    /** 1..{@link #MAX_PIECE_LENGTH}; for v2 (and hybrids) also a power of two of at least 16 KiB. */
    private static int pieceLength(Fields info, boolean v2) throws MetainfoException {
        long pieceLength = info.requireInteger("piece length");
        if (pieceLength < 1 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("piece length " + pieceLength + " is outside 1.." + MAX_PIECE_LENGTH);
        }
        if (v2 && (pieceLength < MerkleTree.BLOCK_SIZE || Long.bitCount(pieceLength) != 1)) {
            throw new MetainfoException("piece length " + pieceLength
                    + " of a v2 torrent is not a power of two of at least 16384");
        }
        return (int) pieceLength;
    }

    private static byte[] pieceHashes(Fields info, long totalLength, int pieceLength) throws MetainfoException {
        byte[] pieces = info.requireString("pieces").bytes();
        if (pieces.length % Metainfo.HASH_LENGTH != 0) {
            throw new MetainfoException("'info.pieces' is " + pieces.length + " bytes, not a multiple of 20");
        }
        long expected = totalLength / pieceLength + (totalLength % pieceLength == 0 ? 0 : 1);
        if (pieces.length / Metainfo.HASH_LENGTH != expected) {
            throw new MetainfoException("'info.pieces' holds " + pieces.length / Metainfo.HASH_LENGTH
                    + " hashes, but " + totalLength + " bytes in pieces of " + pieceLength + " need " + expected);
        }
        return pieces;
    }

    private static boolean isPrivate(Fields info) {
        return info.optionalInteger("private").orElse(0L) != 0;
    }

    /** BEP 12 tiers when {@code announce-list} yields any tracker, else {@code announce} as one tier. */
    private static List<List<String>> trackerTiers(Fields outer) {
        List<List<String>> tiers = new ArrayList<>();
        if (outer.get("announce-list").orElse(null) instanceof BList list) {
            for (BValue tier : list.values()) {
                List<String> urls = tier instanceof BList tierList ? urls(tierList.values()) : List.of();
                if (!urls.isEmpty()) {
                    tiers.add(urls);
                }
            }
        }
        if (tiers.isEmpty()) {
            outer.optionalString("announce").map(String::strip).filter(url -> !url.isEmpty())
                    .ifPresent(url -> tiers.add(List.of(url)));
        }
        return tiers;
    }

    /** BEP 19 {@code url-list}: one URL as a string, or a list of them. */
    private static List<String> webSeeds(Fields outer) {
        BValue urlList = outer.get("url-list").orElse(null);
        if (urlList instanceof BString single) {
            return urls(List.of(single));
        }
        return urlList instanceof BList list ? urls(list.values()) : List.of();
    }

    /**
     * BEP 17 {@code httpseeds}: a list of http(s) URLs (one URL as a string is taken too). Entries that are not
     * strings, not absolute http(s) URLs or longer than {@link #MAX_HTTP_SEED_URL} characters are skipped, as are
     * duplicates and those after the first {@link #MAX_HTTP_SEEDS}.
     */
    private static List<String> httpSeeds(Fields outer) {
        BValue value = outer.get("httpseeds").orElse(null);
        List<String> candidates = value instanceof BString single ? urls(List.of(single))
                : value instanceof BList list ? urls(list.values()) : List.of();
        List<String> seeds = new ArrayList<>();
        for (String url : candidates) {
            if (seeds.size() == MAX_HTTP_SEEDS) {
                break;
            }
            if (url.length() <= MAX_HTTP_SEED_URL && isHttpUrl(url) && !seeds.contains(url)) {
                seeds.add(url);
            }
        }
        return seeds;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The non-empty strings among {@code values}, stripped; other entries are ignored, as clients do. */
    private static List<String> urls(List<BValue> values) {
        List<String> urls = new ArrayList<>();
        for (BValue value : values) {
            if (value instanceof BString string && !string.text().isBlank()) {
                urls.add(string.text().strip());
            }
        }
        return urls;
    }

    private static Optional<Instant> creationDate(Fields outer) {
        return outer.optionalInteger("creation date")
                .filter(s -> s >= Instant.MIN.getEpochSecond() && s <= Instant.MAX.getEpochSecond())
                .map(Instant::ofEpochSecond);
    }
}
