package io.graytorrent.shell.internal;

import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.json.StatusJson;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Torrents with their labels, for commands that list or describe them; none while no label service is there. */
final class LabelViews {
    private final TorrentLabels labels;

    LabelViews(TorrentLabels labels) {
        this.labels = labels;
    }

    Set<String> of(int id) {
        return labels == null ? Set.of() : labels.labels(id);
    }

    /** The torrents having every label in {@code wanted}; all of them when it is empty. */
    List<TorrentStatus> withAll(List<TorrentStatus> torrents, List<String> wanted) {
        return torrents.stream().filter(t -> of(t.id()).containsAll(wanted)).toList();
    }

    /** {@link StatusJson#torrent(TorrentStatus)} and {@code "labels"}. */
    Map<String, Object> json(TorrentStatus status) {
        Map<String, Object> json = StatusJson.torrent(status);
        json.put("labels", of(status.id()));
        return json;
    }
}
