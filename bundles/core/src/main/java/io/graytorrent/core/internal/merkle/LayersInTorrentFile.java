package io.graytorrent.core.internal.merkle;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.PieceLayers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the piece layers a torrent has learnt from peers into its .torrent (the one kept in its record),
 * so that after a restart the layers are known without asking peers again, and what is on disk can be
 * verified with no peer at all. Every other value, the info dictionary above all, is copied byte for byte:
 * the infohashes stay what they were.
 */
public final class LayersInTorrentFile {
    private static final String KEY = "piece layers";
    private static final BValue.Span NO_SPAN = new BValue.Span(new byte[0], 0, 0);

    private LayersInTorrentFile() {
    }

    /**
     * {@code torrentFile} with a {@code piece layers} dictionary of every layer {@code layers} knows (replacing
     * the one it had, if any), its keys in BEP 3's order.
     */
    public static byte[] with(byte[] torrentFile, PieceLayers layers) {
        BDictionary top = (BDictionary) new BencodeDecoder().decode(torrentFile);
        // keys held one char per byte: String order is the unsigned byte order BEP 3 sorts by
        Map<String, byte[]> entries = new TreeMap<>();
        top.entries().forEach((key, value) -> entries.put(key, value.rawBytes()));
        // raw root bytes held one char per byte, which the encoder writes as they are (a String key would be UTF-8)
        Map<String, BValue> known = new TreeMap<>();
        MetainfoV2 torrent = layers.torrent();
        for (int file = 0; file < torrent.files().size(); file++) {
            byte[] root = torrent.files().get(file).piecesRoot();
            layers.layer(file).ifPresent(layer -> known.put(new String(root, StandardCharsets.ISO_8859_1),
                    new BString(layer, NO_SPAN)));
        }
        if (known.isEmpty()) {
            return torrentFile;
        }
        entries.put(KEY, BencodeEncoder.encode(new BDictionary(known, NO_SPAN)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(torrentFile.length + 64);
        out.write('d');
        entries.forEach((key, value) -> {
            byte[] keyBytes = key.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes((keyBytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(keyBytes);
            out.writeBytes(value);
        });
        out.write('e');
        return out.toByteArray();
    }
}
