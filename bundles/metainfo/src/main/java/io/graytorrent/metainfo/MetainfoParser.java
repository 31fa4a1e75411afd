package io.graytorrent.metainfo;

import io.graytorrent.api.InfoHash;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.metainfo.internal.Fields;
import io.graytorrent.metainfo.internal.FileTree;
import io.graytorrent.metainfo.internal.SafePath;
import io.graytorrent.api.util.Sha1;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a .torrent file (BEP 3 v1, or the v1 part of a BEP 52 hybrid) with BEP 12 tracker tiers,
 * BEP 19 web seeds, BEP 27 private flag and BEP 47 file attributes, and validates everything a
 * download relies on: sizes agree with the piece hashes, and no file can land outside the
 * download directory. The {@code info} dictionary must be canonical bencode, because its exact
 * bytes name the torrent; the rest of the file is read leniently, as other clients do.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MetainfoParser {
    /** Most files in one torrent; real ones stay far below (the largest known hold ~100k). */
    public static final int MAX_FILES = 1_000_000;
    /**
     * Largest piece accepted. libtorrent accepts up to 1 GiB - 1 but never creates more than
     * 16 MiB automatically; a bound keeps one piece buffer affordable.
     */
    public static final int MAX_PIECE_LENGTH = 256 << 20;

    private final BencodeDecoder decoder;

    public MetainfoParser(BencodeLimits limits) {
        this.decoder = new BencodeDecoder(limits);
    }

    public MetainfoParser() {
        this(BencodeLimits.DEFAULT);
    }

    /** Parses and validates {@code torrentFile}, the whole content of a .torrent file. */
    public Metainfo parse(byte[] torrentFile) throws MetainfoException {
        BValue root = decode(torrentFile);
        if (!(root instanceof BDictionary top)) {
            throw new MetainfoException("not a torrent file: the top level is not a dictionary");
        }
        Fields outer = new Fields(top, "");
        byte[] infoBytes = outer.requireDictionary("info").rawBytes();
        Fields info = new Fields(decodeInfo(infoBytes), "info.");
        if (info.get("pieces").isEmpty() && info.optionalInteger("meta version").orElse(1L) >= 2) {
            throw new UnsupportedTorrentException("v2-only torrents are not supported yet");
        }

        String name = info.requireText("name");
        SafePath.check("the torrent name", List.of(name));
        int pieceLength = pieceLength(info);
        boolean multiFile = info.get("files").isPresent();
        List<FileEntry> files = multiFile ? multipleFiles(info) : List.of(singleFile(info, name));
        long totalLength = files.get(files.size() - 1).offset() + files.get(files.size() - 1).length();
        if (totalLength == 0) {
            throw new MetainfoException("the torrent holds no data (all files are empty)");
        }
        byte[] pieceHashes = pieceHashes(info, totalLength, pieceLength);

        return new Metainfo(InfoHash.of(Sha1.of(infoBytes)), infoBytes, name, pieceLength, pieceHashes, files,
                multiFile, trackerTiers(outer), webSeeds(outer), info.optionalInteger("private").orElse(0L) != 0,
                creationDate(outer), outer.optionalText("created by"), outer.optionalText("comment"));
    }

    private BValue decode(byte[] torrentFile) throws MetainfoException {
        try {
            return decoder.decode(torrentFile);
        } catch (BencodeException e) {
            throw new MetainfoException("not a valid torrent file: " + e.getMessage(), e);
        }
    }

    private BDictionary decodeInfo(byte[] infoBytes) throws MetainfoException {
        try {
            return (BDictionary) decoder.decodeCanonical(infoBytes);
        } catch (BencodeException e) {
            throw new MetainfoException("the info dictionary is not canonical bencode: " + e.getMessage()
                    + " of the info dictionary", e);
        }
    }

    private static int pieceLength(Fields info) throws MetainfoException {
        long pieceLength = info.requireInteger("piece length");
        if (pieceLength < 1 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("piece length " + pieceLength + " is outside 1.." + MAX_PIECE_LENGTH);
        }
        return (int) pieceLength;
    }

    private static FileEntry singleFile(Fields info, String name) throws MetainfoException {
        String attributes = info.optionalString("attr").orElse("");
        return new FileEntry(List.of(name), fileLength(info, attributes), 0, attributes);
    }

    private static List<FileEntry> multipleFiles(Fields info) throws MetainfoException {
        BList list = info.requireList("files");
        if (list.values().isEmpty()) {
            throw new MetainfoException("'info.files' is empty");
        }
        if (list.values().size() > MAX_FILES) {
            throw new MetainfoException("the torrent lists " + list.values().size() + " files, more than " + MAX_FILES);
        }
        List<FileEntry> files = new ArrayList<>(list.values().size());
        FileTree tree = new FileTree();
        long offset = 0;
        for (int i = 0; i < list.values().size(); i++) {
            String where = "info.files[" + i + "]";
            if (!(list.values().get(i) instanceof BDictionary dict)) {
                throw new MetainfoException("'" + where + "' is not a dictionary");
            }
            Fields file = new Fields(dict, where + ".");
            String attributes = file.optionalString("attr").orElse("");
            long length = fileLength(file, attributes);
            boolean padding = attributes.indexOf('p') >= 0;
            List<String> path = filePath(file, padding, length);
            SafePath.check("'" + where + ".path'", path);
            if (!padding) { // padding files are never written, and creators reuse their names
                tree.add(path);
            }
            files.add(new FileEntry(path, length, offset, attributes));
            if (length > Long.MAX_VALUE - offset) {
                throw new MetainfoException("the total length of the files does not fit in 63 bits");
            }
            offset += length;
        }
        return files;
    }

    /** The length, which BEP 47 lets a symlink leave out (it has no data in the torrent). */
    private static long fileLength(Fields file, String attributes) throws MetainfoException {
        boolean symlink = attributes.indexOf('l') >= 0;
        long length = symlink ? file.optionalInteger("length").orElse(0L) : file.requireInteger("length");
        if (length < 0) {
            throw new MetainfoException("'" + file.where() + "length' is negative: " + length);
        }
        return length;
    }

    /** {@code path.utf-8} when every component of it is valid UTF-8, else {@code path}. */
    private static List<String> filePath(Fields file, boolean padding, long length) throws MetainfoException {
        Optional<List<String>> utf8 = file.get("path.utf-8").flatMap(MetainfoParser::strictUtf8Path);
        if (utf8.isPresent()) {
            return utf8.get();
        }
        if (padding && file.get("path").isEmpty()) { // BEP 47 lets padding files omit it
            return List.of(".pad", Long.toString(length));
        }
        List<String> path = new ArrayList<>();
        for (BValue component : file.requireList("path").values()) {
            if (!(component instanceof BString string)) {
                throw new MetainfoException("'" + file.where() + "path' holds a component that is not a string");
            }
            path.add(string.text());
        }
        return path;
    }

    private static Optional<List<String>> strictUtf8Path(BValue value) {
        if (!(value instanceof BList list)) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>(list.values().size());
        for (BValue component : list.values()) {
            Optional<String> text = Fields.strictUtf8(component);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            path.add(text.get());
        }
        return Optional.of(path);
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
