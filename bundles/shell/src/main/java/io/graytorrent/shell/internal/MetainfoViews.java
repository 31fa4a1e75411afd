package io.graytorrent.shell.internal;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.ParsedTorrent;
import io.graytorrent.metainfo.V2File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text (for people) and JSON-ready maps (for programs) of a .torrent file's contents. A v1 or hybrid
 * torrent is shown through its v1 view (what the engine downloads), a v2-only one through its v2
 * view; a v2 or hybrid torrent also shows its v2 infohash.
 */
final class MetainfoViews {
    private MetainfoViews() {
    }

    /** What one view or the other says, as the views show it. */
    private record Summary(String infoHash, long totalLength, long pieceCount, int pieceLength, List<FileEntry> files) {
        static Summary of(ParsedTorrent torrent) {
            if (torrent.v1().isPresent()) {
                Metainfo m = torrent.v1().get();
                return new Summary(m.infoHash().toHex(), m.totalLength(), m.pieceCount(), m.pieceLength(), m.files());
            }
            MetainfoV2 v2 = torrent.v2().orElseThrow();
            // a v2-only torrent goes by the first 20 bytes of its v2 infohash wherever 20 bytes fit
            return new Summary(v2.infoHash().truncated().toHex(), v2.totalLength(), v2.pieceCount(), v2.pieceLength(),
                    v2.files().stream().map(V2File::entry).toList());
        }
    }

    static String asText(ParsedTorrent torrent) {
        Summary s = Summary.of(torrent);
        LabelledLines header = new LabelledLines()
                .add("name", torrent.name())
                .add("version", torrent.kind())
                .add("infohash", s.infoHash());
        torrent.v2().ifPresent(v2 -> header.add("infohash v2", v2.infoHash().toHex()));
        header.add("size", Sizes.format(s.totalLength()) + " (" + s.totalLength() + " bytes)")
                .add("pieces", s.pieceCount() + " x " + Sizes.format(s.pieceLength()))
                .add("private", torrent.isPrivate() ? "yes" : "no");
        torrent.creationDate().ifPresent(date -> header.add("created", date.toString()));
        torrent.createdBy().ifPresent(by -> header.add("created by", by));
        torrent.comment().ifPresent(comment -> header.add("comment", comment));
        StringBuilder text = new StringBuilder(header.toString());
        text.append("trackers:");
        if (torrent.trackerTiers().isEmpty()) {
            text.append(" none");
        }
        text.append('\n');
        for (int tier = 0; tier < torrent.trackerTiers().size(); tier++) {
            text.append("  tier ").append(tier + 1).append(": ")
                    .append(String.join(", ", torrent.trackerTiers().get(tier))).append('\n');
        }
        if (!torrent.webSeeds().isEmpty()) {
            text.append("web seeds:\n");
            torrent.webSeeds().forEach(url -> text.append("  ").append(url).append('\n'));
        }
        if (!torrent.httpSeeds().isEmpty()) {
            text.append("http seeds (BEP 17):\n");
            torrent.httpSeeds().forEach(url -> text.append("  ").append(url).append('\n'));
        }
        List<FileEntry> files = s.files().stream().filter(f -> !f.isPadding()).toList();
        text.append("files (").append(files.size()).append("):\n");
        for (FileEntry file : files) {
            text.append(String.format("  %10s  %s%n", Sizes.format(file.length()), file.displayPath()));
        }
        return text.toString().stripTrailing();
    }

    static Map<String, Object> asMap(ParsedTorrent torrent) {
        Summary s = Summary.of(torrent);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", torrent.name());
        map.put("version", torrent.kind());
        map.put("infoHash", s.infoHash());
        map.put("infoHashV2", torrent.v2().map(v2 -> v2.infoHash().toHex()).orElse(null));
        map.put("totalSize", s.totalLength());
        map.put("pieceLength", s.pieceLength());
        map.put("pieceCount", s.pieceCount());
        map.put("private", torrent.isPrivate());
        map.put("creationDate", torrent.creationDate().map(Object::toString).orElse(null));
        map.put("createdBy", torrent.createdBy().orElse(null));
        map.put("comment", torrent.comment().orElse(null));
        map.put("trackerTiers", torrent.trackerTiers());
        map.put("webSeeds", torrent.webSeeds());
        map.put("httpSeeds", torrent.httpSeeds());
        map.put("files", s.files().stream().map(f -> {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.displayPath());
            file.put("size", f.length());
            file.put("padding", f.isPadding());
            file.put("attributes", f.attributes());
            return file;
        }).toList());
        return map;
    }
}
