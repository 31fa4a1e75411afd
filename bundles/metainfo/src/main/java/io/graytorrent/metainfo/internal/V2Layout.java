package io.graytorrent.metainfo.internal;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BEP 52 parts of a new torrent: the {@code file tree}, the outer {@code piece layers}, and a
 * hybrid's v1 {@code files} list with BEP 47 pad files after every file that does not end on a
 * piece boundary (the last one too, as libtorrent writes them).
 */
public final class V2Layout {
    private static final BValue.Span NO_SPAN = new BValue.Span(new byte[0], 0, 0);

    private V2Layout() {
    }

    /** The {@code file tree}: nested directories, each file a dictionary under the empty key. */
    public static Map<String, Object> fileTree(List<SourceFile> files, List<byte[]> roots) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Map<String, Object> node = tree;
            for (String component : files.get(i).path()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(component, c -> new LinkedHashMap<>());
                node = child;
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("length", files.get(i).length());
            if (roots.get(i).length > 0) {
                properties.put("pieces root", roots.get(i));
            }
            node.put("", properties);
        }
        return tree;
    }

    /**
     * The {@code piece layers} dictionary, keyed by raw root bytes (held one char per byte, which
     * the encoder writes as they are; a plain String key would be written as UTF-8 text).
     */
    public static BDictionary pieceLayers(List<byte[]> roots, List<byte[]> layers) {
        Map<String, BValue> entries = new LinkedHashMap<>();
        for (int i = 0; i < roots.size(); i++) {
            if (layers.get(i).length > 0) {
                entries.put(new String(roots.get(i), StandardCharsets.ISO_8859_1), new BString(layers.get(i), NO_SPAN));
            }
        }
        return new BDictionary(entries, NO_SPAN);
    }

    /** A hybrid's v1 {@code files}: each file, then a pad file up to the next piece boundary. */
    public static List<Object> paddedFiles(List<SourceFile> files, int pieceLength) {
        List<Object> entries = new ArrayList<>();
        for (SourceFile file : files) {
            entries.add(Map.of("length", file.length(), "path", file.path()));
            long gap = (pieceLength - file.length() % pieceLength) % pieceLength;
            if (gap > 0) {
                entries.add(Map.of("attr", "p", "length", gap, "path", List.of(".pad", Long.toString(gap))));
            }
        }
        return entries;
    }
}
