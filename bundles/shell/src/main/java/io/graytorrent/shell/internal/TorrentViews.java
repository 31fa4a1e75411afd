package io.graytorrent.shell.internal;

import io.graytorrent.api.FileStatus;
import io.graytorrent.api.Stall;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Map;

/** Text (for people) and JSON-ready maps (for programs) of managed torrents, files and peers. */
final class TorrentViews {
    private TorrentViews() {
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** The state for people: "fetching metadata", "downloading", ... */
    static String state(TorrentStatus t) {
        return t.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Before a magnet link's metadata arrives its size and progress are unknown, not 0 and 100 %. */
    private static boolean sizeKnown(TorrentStatus t) {
        return t.totalBytes() > 0; // a torrent's metadata never describes an empty one
    }

    static String list(List<TorrentStatus> torrents) {
        Table table = new Table(">ID", "NAME", ">SIZE", ">DONE", "STATE", ">DOWN", ">UP", ">PEERS", ">ETA", ">RATIO");
        for (TorrentStatus t : torrents) {
            boolean known = sizeKnown(t);
            table.row(t.id(), t.name(), known ? Sizes.format(t.wantedBytes()) : "?", known ? percent(t.progress()) : "-",
                    state(t), Sizes.rate(t.downloadRate()), Sizes.rate(t.uploadRate()),
                    t.peers() + "/" + t.seeds(), Durations.format(t.eta()), String.format(Locale.ROOT, "%.2f", t.ratio()));
        }
        return torrents.isEmpty() ? "no torrents" : table.toString();
    }

    static String details(TorrentStatus t) {
        LabelledLines lines = new LabelledLines()
                .add("id", Integer.toString(t.id()))
                .add("name", t.name())
                .add("infohash", t.infoHash().toHex())
                .add("state", state(t));
        t.error().ifPresent(error -> lines.add("error", error));
        t.stall().ifPresent(stall -> lines.add("stalled", stall.message() + " (no progress since " + stall.since() + ")"));
        return lines
                .add("save path", t.savePath().toString())
                .add("size", Sizes.format(t.totalBytes()) + " (" + t.totalBytes() + " bytes; wanted "
                        + Sizes.format(t.wantedBytes()) + ")")
                .add("progress", percent(t.progress()) + " (" + Sizes.format(t.verifiedBytes()) + " verified)")
                .add("download", Sizes.rate(t.downloadRate()) + ", " + Sizes.format(t.downloaded()) + " in all")
                .add("upload", Sizes.rate(t.uploadRate()) + ", " + Sizes.format(t.uploaded()) + " in all")
                .add("ratio", String.format(Locale.ROOT, "%.2f", t.ratio()))
                .add("peers", t.peers() + " connected, " + t.seeds() + " seeds")
                .add("eta", Durations.format(t.eta()))
                .toString().stripTrailing();
    }

    static Map<String, Object> asMap(TorrentStatus t) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", t.id());
        map.put("infohash", t.infoHash().toHex());
        map.put("name", t.name());
        map.put("savePath", t.savePath().toString());
        map.put("state", t.state().name().toLowerCase(Locale.ROOT));
        map.put("totalBytes", t.totalBytes());
        map.put("wantedBytes", t.wantedBytes());
        map.put("verifiedBytes", t.verifiedBytes());
        map.put("progress", t.progress());
        map.put("downloadRate", t.downloadRate());
        map.put("uploadRate", t.uploadRate());
        map.put("downloaded", t.downloaded());
        map.put("uploaded", t.uploaded());
        map.put("ratio", t.ratio());
        map.put("peers", t.peers());
        map.put("seeds", t.seeds());
        map.put("eta", t.eta().isPresent() ? t.eta().getAsLong() : null);
        map.put("error", t.error().orElse(null));
        map.put("stall", t.stall().map(TorrentViews::asMap).orElse(null));
        return map;
    }

    static Map<String, Object> asMap(Stall stall) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", stall.kind().name().toLowerCase(Locale.ROOT));
        map.put("message", stall.message());
        map.put("since", stall.since().toString());
        return map;
    }

    static String files(List<FileStatus> files) {
        Table table = new Table(">IDX", "PRIO", ">DONE", ">SIZE", "PATH");
        for (FileStatus f : files) {
            double done = f.size() == 0 ? 1 : (double) f.verifiedBytes() / f.size();
            table.row(f.index(), f.priority().name().toLowerCase(Locale.ROOT), percent(done), Sizes.format(f.size()), f.path());
        }
        return table.toString();
    }

    static Map<String, Object> asMap(FileStatus f) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("index", f.index());
        map.put("path", f.path());
        map.put("size", f.size());
        map.put("verifiedBytes", f.verifiedBytes());
        map.put("priority", f.priority().name().toLowerCase(Locale.ROOT));
        return map;
    }

    static String peers(List<PeerStatus> peers) {
        Table table = new Table("ADDRESS", "CLIENT", "SOURCE", "FLAGS", "ENCRYPTION", ">DONE", ">DOWN", ">UP");
        for (PeerStatus p : peers) {
            table.row(p.address().getAddress().getHostAddress() + ":" + p.address().getPort(), p.client(),
                    p.source().label(), p.flags(), p.encryption(),
                    percent(p.progress()), Sizes.rate(p.downloadRate()), Sizes.rate(p.uploadRate()));
        }
        return peers.isEmpty() ? "no peers" : table.toString();
    }

    static Map<String, Object> asMap(PeerStatus p) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("address", p.address().getAddress().getHostAddress());
        map.put("port", p.address().getPort());
        map.put("client", p.client());
        map.put("outgoing", p.outgoing());
        map.put("progress", p.progress());
        map.put("downloadRate", p.downloadRate());
        map.put("uploadRate", p.uploadRate());
        map.put("downloaded", p.downloaded());
        map.put("uploaded", p.uploaded());
        map.put("flags", p.flags());
        map.put("encryption", p.encryption());
        map.put("source", p.source().label());
        return map;
    }

    /** Trackers by tier; times relative to {@code now} ("12s ago", "in 29m"). */
    static String trackers(List<TrackerStatus> trackers, Instant now) {
        Table table = new Table("TIER", "URL", "STATUS", ">SEEDS", ">LEECHERS", "LAST", "NEXT", "ERROR");
        for (TrackerStatus t : trackers) {
            table.row(Integer.toString(t.tier()), t.url(), t.status(), count(t.seeders()), count(t.leechers()),
                    t.lastAnnounce().map(at -> Durations.format(Duration.between(at, now).toSeconds()) + " ago").orElse("-"),
                    t.nextAnnounce().map(at -> "in " + Durations.format(Math.max(0, Duration.between(now, at).toSeconds())))
                            .orElse("-"),
                    t.lastError().orElse(""));
        }
        return trackers.isEmpty() ? "no trackers" : table.toString();
    }

    private static String count(OptionalInt value) {
        return value.isPresent() ? Integer.toString(value.getAsInt()) : "-";
    }

    static Map<String, Object> asMap(TrackerStatus t) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", t.url());
        map.put("tier", t.tier());
        map.put("status", t.status());
        map.put("lastAnnounce", t.lastAnnounce().map(Instant::toString).orElse(null));
        map.put("nextAnnounce", t.nextAnnounce().map(Instant::toString).orElse(null));
        map.put("seeders", t.seeders().isPresent() ? t.seeders().getAsInt() : null);
        map.put("leechers", t.leechers().isPresent() ? t.leechers().getAsInt() : null);
        map.put("lastError", t.lastError().orElse(null));
        return map;
    }
}
