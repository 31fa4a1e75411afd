package io.graytorrent.storage.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Bitfields;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.api.FilePriority;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resume record of one torrent, {@code GRAY_HOME/state/<infohash-hex>.resume}:
 * <pre>
 * d
 *   7:version    i1e
 *   9:info-hash  20:&lt;bytes&gt;
 *   9:save-path  &lt;string&gt;
 *   6:pieces     &lt;bitfield, BEP 3 order: piece 0 is the high bit of byte 0&gt;
 *   10:priorities l i&lt;FilePriority ordinal&gt;e ... e
 *   5:files      l l i&lt;size&gt;e i&lt;mtime ns&gt;e e ... e   (size -1: absent)
 *   5:parts      l i&lt;size&gt;e i&lt;mtime ns&gt;e e
 * e
 * </pre>
 *
 * @param files one stamp per torrent file, in order; {@code parts} the parts file's stamp
 */
record ResumeData(InfoHash infoHash, String savePath, BitSet pieces, int pieceCount,
                  List<FilePriority> priorities, List<FileStamp> files, FileStamp parts) {

    static final int VERSION = 1;

    ResumeData {
        pieces = (BitSet) pieces.clone();
        priorities = List.copyOf(priorities);
        files = List.copyOf(files);
    }

    byte[] encode() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("version", VERSION);
        record.put("info-hash", infoHash.toBytes());
        record.put("save-path", savePath);
        record.put("pieces", Bitfields.pack(pieces, pieceCount));
        record.put("priorities", priorities.stream().map(p -> (long) p.ordinal()).toList());
        record.put("files", files.stream().map(FileStamp::toList).toList());
        record.put("parts", parts.toList());
        return BencodeEncoder.encode(record);
    }

    /** Decodes a record; {@link IllegalArgumentException} when it is damaged or of another version. */
    static ResumeData decode(byte[] bytes, int pieceCount) {
        try {
            BDictionary record = (BDictionary) new BencodeDecoder().decode(bytes);
            if (integer(record, "version") != VERSION) {
                throw new IllegalArgumentException("resume record version " + integer(record, "version"));
            }
            byte[] bitfield = string(record, "pieces");
            if (bitfield.length != (pieceCount + 7) / 8) {
                throw new IllegalArgumentException("bitfield of " + bitfield.length + " bytes for " + pieceCount + " pieces");
            }
            List<FilePriority> priorities = new ArrayList<>();
            for (BValue value : list(record, "priorities")) {
                priorities.add(FilePriority.values()[(int) ((BInteger) value).value()]);
            }
            List<FileStamp> files = new ArrayList<>();
            for (BValue value : list(record, "files")) {
                files.add(FileStamp.fromList((BList) value));
            }
            return new ResumeData(InfoHash.of(string(record, "info-hash")),
                    new String(string(record, "save-path"), java.nio.charset.StandardCharsets.UTF_8),
                    Bitfields.unpack(bitfield, pieceCount), pieceCount, priorities, files,
                    FileStamp.fromList((BList) record.get("parts").orElseThrow()));
        } catch (BencodeException | ClassCastException | IndexOutOfBoundsException
                 | java.util.NoSuchElementException e) {
            throw new IllegalArgumentException("damaged resume record: " + e.getMessage(), e);
        }
    }

    private static long integer(BDictionary record, String key) {
        return ((BInteger) record.get(key).orElseThrow()).value();
    }

    private static byte[] string(BDictionary record, String key) {
        return ((BString) record.get(key).orElseThrow()).bytes();
    }

    private static List<BValue> list(BDictionary record, String key) {
        return ((BList) record.get(key).orElseThrow()).values();
    }

    /** Size and modification time of a file as last seen, for the fast resume check; size -1 = absent. */
    record FileStamp(long size, long mtimeNanos) {
        static final FileStamp ABSENT = new FileStamp(-1, 0);

        List<Long> toList() {
            return List.of(size, mtimeNanos);
        }

        static FileStamp fromList(BList list) {
            return new FileStamp(((BInteger) list.values().get(0)).value(), ((BInteger) list.values().get(1)).value());
        }
    }
}
