package io.graytorrent.metainfo;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.metainfo.internal.AutoPieceLength;
import io.graytorrent.metainfo.internal.MerkleHasher;
import io.graytorrent.metainfo.internal.PieceHasher;
import io.graytorrent.metainfo.internal.SourceFile;
import io.graytorrent.metainfo.internal.SourceTree;
import io.graytorrent.metainfo.internal.V2Layout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;

/**
 * Makes a .torrent (v1 by default, or BEP 52 v2 or hybrid, see {@link Format}) from a file
 * (single-file torrent) or a directory (multi-file torrent named after it). Files are ordered and chosen as libtorrent does (see below); symbolic links below the
 * root are skipped, not followed; hidden files are included. The data is read once, streamed
 * through one piece buffer. An instance is a mutable builder for one thread; {@link #create()}
 * may be called again and reads the files afresh:
 *
 * <pre>{@code
 * byte[] torrent = TorrentCreator.forPath(dir).tracker("http://t.example/announce").create();
 * }</pre>
 *
 * <p>File order: component by component, each compared as UTF-8 bytes ({@code "B" < "a/b" <
 * "a-b"}), libtorrent's canonical order. Empty files are listed; a total of zero bytes is refused.
 */
public final class TorrentCreator {
    /** Told the bytes hashed so far after each piece; called on the thread that runs {@link #create()}. */
    @FunctionalInterface
    public interface ProgressListener {
        void hashed(long done, long total);
    }

    /** Which views a new torrent has. */
    public enum Format {
        /** BEP 3 only: every client loads it. */
        V1,
        /** BEP 52 only: per-file merkle trees, SHA-256; v1-only clients cannot load it. */
        V2,
        /** Both, describing the same files (v1 pad files align each file to a piece). */
        HYBRID
    }

    /** The smallest piece length libtorrent and BEP 52 accept for new torrents. */
    public static final int MIN_PIECE_LENGTH = 16 * 1024;
    public static final String DEFAULT_CREATED_BY = "graytorrent/" + version();

    private final Path root;
    private final List<String> trackers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private final List<String> httpSeeds = new ArrayList<>();
    private int pieceLength;
    private Format format = Format.V1;
    private boolean privateTorrent;
    private String comment;
    private String createdBy = DEFAULT_CREATED_BY;
    private Instant creationDate;
    private ProgressListener progress = (done, total) -> { };

    private TorrentCreator(Path root) {
        this.root = root;
    }

    /** A creator for the file or directory {@code path}. */
    public static TorrentCreator forPath(Path path) {
        return new TorrentCreator(path);
    }

    /** Adds a tracker in a tier of its own, after those added before (as libtorrent's {@code -t}). */
    public TorrentCreator tracker(String url) {
        trackers.add(requireText("tracker URL", url));
        return this;
    }

    /** Bytes per piece: 0 (the default) picks as libtorrent does; else a power of two, 16 KiB or more. */
    public TorrentCreator pieceLength(int bytes) {
        if (bytes != 0 && (Integer.bitCount(bytes) != 1 || bytes < MIN_PIECE_LENGTH
                || bytes > MetainfoParser.MAX_PIECE_LENGTH)) {
            throw new IllegalArgumentException("piece length must be 0 (automatic) or a power of two from "
                    + MIN_PIECE_LENGTH + " to " + MetainfoParser.MAX_PIECE_LENGTH + ", not " + bytes);
        }
        this.pieceLength = bytes;
        return this;
    }

    /** The views the torrent gets; {@link Format#V1} unless set. */
    public TorrentCreator format(Format value) {
        if (value == null) {
            throw new IllegalArgumentException("format is null");
        }
        this.format = value;
        return this;
    }

    /** BEP 27: peers only from the trackers. */
    public TorrentCreator privateTorrent(boolean value) {
        this.privateTorrent = value;
        return this;
    }

    public TorrentCreator comment(String text) {
        this.comment = requireText("comment", text);
        return this;
    }

    /** Adds a BEP 19 web seed ({@code url-list}). */
    public TorrentCreator webSeed(String url) {
        webSeeds.add(requireText("web seed URL", url));
        return this;
    }

    /** Adds a BEP 17 HTTP seed ({@code httpseeds}). */
    public TorrentCreator httpSeed(String url) {
        httpSeeds.add(requireText("HTTP seed URL", url));
        return this;
    }

    /** The {@code created by} field; {@link #DEFAULT_CREATED_BY} unless set. */
    public TorrentCreator createdBy(String text) {
        this.createdBy = requireText("created by", text);
        return this;
    }

    /** The {@code creation date} field; the time {@link #create()} runs unless set. */
    public TorrentCreator creationDate(Instant date) {
        if (date == null || date.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("creation date must be at or after 1970: " + date);
        }
        this.creationDate = date;
        return this;
    }

    public TorrentCreator progress(ProgressListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("progress listener is null");
        }
        this.progress = listener;
        return this;
    }

    /**
     * Lists and hashes the files and returns the bencoded .torrent.
     *
     * @throws IOException when the path is missing, unreadable, holds no data, holds a name
     *                     another client could not safely write, or changes while being hashed
     */
    public byte[] create() throws IOException {
        if (root.getFileName() == null) {
            throw new IllegalArgumentException("cannot name a torrent after " + root);
        }
        String name = root.getFileName().toString();
        SourceTree.checkSafe(root, List.of(name));
        Path source = root.toRealPath(); // the root may be a link the user named on purpose
        boolean multiFile = Files.isDirectory(source);
        List<SourceFile> files = multiFile ? SourceTree.list(source) : List.of(SourceTree.single(source, name));
        long total = 0;
        for (SourceFile file : files) {
            SourceTree.checkSafe(file.file(), file.path());
            total += file.length();
        }
        if (total == 0) {
            throw new IOException("nothing to share: " + root + " holds no data");
        }
        int chosenPieceLength = pieceLength != 0 ? pieceLength : AutoPieceLength.forTotal(total);
        checkPieceCount(total, chosenPieceLength);
        long totalLength = total;
        LongConsumer hashed = done -> progress.hashed(done, totalLength);
        if (format == Format.V1) {
            byte[] pieces = PieceHasher.hash(files, chosenPieceLength, total, hashed);
            return BencodeEncoder.encode(torrent(info(name, multiFile, files, chosenPieceLength, pieces), null));
        }
        boolean hybrid = format == Format.HYBRID;
        MerkleHasher.Result trees = MerkleHasher.hash(files, chosenPieceLength, hybrid, multiFile, hashed);
        Map<String, Object> info = hybrid
                ? info(name, multiFile, files, chosenPieceLength, trees.v1Pieces()) : info(name, chosenPieceLength);
        info.put("meta version", MetainfoParser.META_VERSION_2);
        info.put("file tree", V2Layout.fileTree(files, trees.roots()));
        if (hybrid && multiFile) {
            info.put("files", V2Layout.paddedFiles(files, chosenPieceLength));
        }
        return BencodeEncoder.encode(torrent(info, V2Layout.pieceLayers(trees.roots(), trees.layers())));
    }

    /** Refuses piece counts whose hash list our own parser (and libtorrent) would not load. */
    private static void checkPieceCount(long total, int pieceLength) {
        long pieces = total / pieceLength + (total % pieceLength == 0 ? 0 : 1);
        if (pieces * Metainfo.HASH_LENGTH > BencodeLimits.DEFAULT.maxStringLength()) {
            throw new IllegalArgumentException("piece length " + pieceLength + " is too small for " + total
                    + " bytes: " + pieces + " pieces; choose a larger one or automatic");
        }
    }

    /** The keys every info dictionary has. */
    private Map<String, Object> info(String name, int pieceLength) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", pieceLength);
        if (privateTorrent) {
            info.put("private", 1);
        }
        return info;
    }

    /** A v1 info dictionary. */
    private Map<String, Object> info(String name, boolean multiFile, List<SourceFile> files, int pieceLength,
            byte[] pieces) {
        Map<String, Object> info = info(name, pieceLength);
        info.put("pieces", pieces);
        if (multiFile) {
            List<Object> entries = new ArrayList<>(files.size());
            for (SourceFile file : files) {
                entries.add(Map.of("length", file.length(), "path", file.path()));
            }
            info.put("files", entries);
        } else {
            info.put("length", files.get(0).length());
        }
        return info;
    }

    /** The whole torrent; {@code pieceLayers} null for a v1 torrent. */
    private Map<String, Object> torrent(Map<String, Object> info, BDictionary pieceLayers) {
        Map<String, Object> torrent = new LinkedHashMap<>();
        torrent.put("info", info);
        if (pieceLayers != null) {
            torrent.put("piece layers", pieceLayers);
        }
        if (!trackers.isEmpty()) {
            torrent.put("announce", trackers.get(0));
            torrent.put("announce-list", trackers.stream().map(List::of).toList());
        }
        if (webSeeds.size() == 1) {
            torrent.put("url-list", webSeeds.get(0));
        } else if (!webSeeds.isEmpty()) {
            torrent.put("url-list", webSeeds);
        }
        if (!httpSeeds.isEmpty()) {
            torrent.put("httpseeds", httpSeeds);
        }
        if (comment != null) {
            torrent.put("comment", comment);
        }
        torrent.put("created by", createdBy);
        torrent.put("creation date", (creationDate != null ? creationDate : Instant.now()).getEpochSecond());
        return torrent;
    }

    private static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return value.strip();
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = TorrentCreator.class.getResourceAsStream("internal/version.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("version.properties is missing from the bundle", e);
        }
        return properties.getProperty("version");
    }
}
