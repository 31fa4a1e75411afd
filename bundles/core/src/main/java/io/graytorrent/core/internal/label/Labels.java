package io.graytorrent.core.internal.label;

import io.graytorrent.api.TorrentLabels;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The rules every label set obeys. */
final class Labels {
    private Labels() {
    }

    /** {@code labels} when each matches {@link TorrentLabels#LABEL} and there are few enough, else IllegalArgumentException. */
    static SortedSet<String> checked(Set<String> labels) {
        for (String label : labels) {
            if (!TorrentLabels.LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a label: \"" + abbreviate(label)
                        + "\" (letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit)");
            }
        }
        if (labels.size() > TorrentLabels.MAX_LABELS) {
            throw new IllegalArgumentException("at most " + TorrentLabels.MAX_LABELS + " labels a torrent, not " + labels.size());
        }
        return new TreeSet<>(labels);
    }

    private static String abbreviate(String text) {
        return text.length() > 70 ? text.substring(0, 70) + "…" : text;
    }
}
