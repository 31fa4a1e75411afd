package io.graytorrent.core.internal.hook;

import io.graytorrent.api.TorrentStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What happened to which torrent, as the environment a hook program gets. */
record HookEvent(Kind kind, TorrentStatus torrent) {
    enum Kind { ADDED, COMPLETED }

    /**
     * {@code GRAY_EVENT}, {@code GRAY_TORRENT_ID}, {@code _NAME}, {@code _INFOHASH}, {@code _DIR} and
     * {@code _LABELS} (comma-separated: labels hold no commas).
     */
    Map<String, String> environment(Set<String> labels) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GRAY_EVENT", kind.name().toLowerCase(Locale.ROOT));
        environment.put("GRAY_TORRENT_ID", Integer.toString(torrent.id()));
        environment.put("GRAY_TORRENT_NAME", torrent.name());
        environment.put("GRAY_TORRENT_INFOHASH", torrent.infoHash().toHex());
        environment.put("GRAY_TORRENT_DIR", torrent.savePath().toString());
        environment.put("GRAY_TORRENT_LABELS", String.join(",", labels));
        return environment;
    }
}
