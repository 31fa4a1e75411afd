package io.graytorrent.shell.internal;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Text (for people) and JSON-ready maps (for programs) of a .torrent file's contents. */
final class MetainfoViews {
    private MetainfoViews() {
    }

    static String asText(Metainfo m) {
        LabelledLines header = new LabelledLines()
                .add("name", m.name())
                .add("infohash", m.infoHash().toHex())
                .add("size", Sizes.format(m.totalLength()) + " (" + m.totalLength() + " bytes)")
                .add("pieces", m.pieceCount() + " x " + Sizes.format(m.pieceLength()))
                .add("private", m.isPrivate() ? "yes" : "no");
        m.creationDate().ifPresent(date -> header.add("created", date.toString()));
        m.createdBy().ifPresent(by -> header.add("created by", by));
        m.comment().ifPresent(comment -> header.add("comment", comment));
        StringBuilder text = new StringBuilder(header.toString());
        text.append("trackers:");
        if (m.trackerTiers().isEmpty()) {
            text.append(" none");
        }
        text.append('\n');
        for (int tier = 0; tier < m.trackerTiers().size(); tier++) {
            text.append("  tier ").append(tier + 1).append(": ")
                    .append(String.join(", ", m.trackerTiers().get(tier))).append('\n');
        }
        if (!m.webSeeds().isEmpty()) {
            text.append("web seeds:\n");
            m.webSeeds().forEach(url -> text.append("  ").append(url).append('\n'));
        }
        List<FileEntry> files = m.files().stream().filter(f -> !f.isPadding()).toList();
        text.append("files (").append(files.size()).append("):\n");
        for (FileEntry file : files) {
            text.append(String.format("  %10s  %s%n", Sizes.format(file.length()), file.displayPath()));
        }
        return text.toString().stripTrailing();
    }

    static Map<String, Object> asMap(Metainfo m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", m.name());
        map.put("infoHash", m.infoHash().toHex());
        map.put("totalSize", m.totalLength());
        map.put("pieceLength", m.pieceLength());
        map.put("pieceCount", m.pieceCount());
        map.put("private", m.isPrivate());
        map.put("creationDate", m.creationDate().map(Object::toString).orElse(null));
        map.put("createdBy", m.createdBy().orElse(null));
        map.put("comment", m.comment().orElse(null));
        map.put("trackerTiers", m.trackerTiers());
        map.put("webSeeds", m.webSeeds());
        map.put("files", m.files().stream().map(f -> {
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
