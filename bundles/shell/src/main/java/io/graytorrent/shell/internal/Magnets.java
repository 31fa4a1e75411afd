package io.graytorrent.shell.internal;

import io.graytorrent.metainfo.MagnetLink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Magnet links on the command line: telling one from a file name, and showing what one holds. */
final class Magnets {
    private static final String SCHEME = "magnet:";

    private Magnets() {
    }

    /** A {@code magnet:} argument is a link, never a file name. */
    static boolean isMagnet(String argument) {
        return argument.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    static String asText(MagnetLink link) {
        LabelledLines lines = new LabelledLines()
                .add(link.isV2Only() ? "infohash (v2, first 20 bytes)" : "infohash", link.infoHash().toHex());
        link.infoHashV2().ifPresent(v2 -> lines.add("infohash v2", v2.toHex()));
        lines.add("name", link.displayName().orElse("(none: known once the metadata arrives)"));
        for (int tier = 0; tier < link.trackerTiers().size(); tier++) {
            lines.add("tracker tier " + (tier + 1), String.join(", ", link.trackerTiers().get(tier)));
        }
        link.peers().forEach(peer -> lines.add("peer", peer.getHostString() + ":" + peer.getPort()));
        link.webSeeds().forEach(url -> lines.add("web seed", url));
        return lines.add("files", link.selectedFiles().isEmpty() ? "all" : "only " + selection(link))
                .toString().stripTrailing();
    }

    static Map<String, Object> asMap(MagnetLink link) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("infoHash", link.infoHash().toHex());
        map.put("infoHashV2", link.infoHashV2().map(Object::toString).orElse(null));
        map.put("name", link.displayName().orElse(null));
        map.put("trackerTiers", link.trackerTiers());
        map.put("peers", link.peers().stream().map(peer -> peer.getHostString() + ":" + peer.getPort()).toList());
        map.put("webSeeds", link.webSeeds());
        map.put("selectedFiles", link.selectedFiles().stream()
                .map(range -> List.of(range.first(), range.last())).toList());
        return map;
    }

    private static String selection(MagnetLink link) {
        return link.selectedFiles().stream()
                .map(r -> r.first() == r.last() ? Integer.toString(r.first()) : r.first() + "-" + r.last())
                .collect(Collectors.joining(","));
    }
}
