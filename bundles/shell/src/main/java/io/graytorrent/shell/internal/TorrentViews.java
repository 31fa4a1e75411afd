package io.graytorrent.shell.internal;

import io.graytorrent.api.FileStatus;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.SeedingStatus;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.api.json.StatusJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntFunction;

/** Text for people of managed torrents, files, peers and trackers; programs get {@link StatusJson} with --json. */
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

    /** The torrents as a table; a LABELS column last when any has labels. */
    static String list(List<TorrentStatus> torrents, IntFunction<Set<String>> labels) {
        boolean labelled = torrents.stream().anyMatch(t -> !labels.apply(t.id()).isEmpty());
        List<String> headers = new ArrayList<>(List.of(">ID", "NAME", ">SIZE", ">DONE", "STATE", ">DOWN", ">UP",
                ">PEERS", ">ETA", ">RATIO"));
        if (labelled) {
            headers.add("LABELS");
        }
        Table table = new Table(headers.toArray(String[]::new));
        for (TorrentStatus t : torrents) {
            boolean known = sizeKnown(t);
            List<Object> row = new ArrayList<>(List.of(t.id(), t.name(), known ? Sizes.format(t.wantedBytes()) : "?",
                    known ? percent(t.progress()) : "-", state(t), Sizes.rate(t.downloadRate()),
                    Sizes.rate(t.uploadRate()), peers(t), Durations.format(t.eta()),
                    String.format(Locale.ROOT, "%.2f", t.ratio())));
            if (labelled) {
                row.add(String.join(",", labels.apply(t.id())));
            }
            table.row(row.toArray());
        }
        return torrents.isEmpty() ? "no torrents" : table.toString();
    }

    /** "peers/seeds", and "+N web" when web seeds are in use. */
    private static String peers(TorrentStatus t) {
        return t.peers() + "/" + t.seeds() + (t.webSeeds() > 0 ? " +" + t.webSeeds() + " web" : "");
    }

    /** The torrent for people; a "labels" line when it has some. */
    /** The details with the piece order, the seeding goals (own, then in force) and where the torrent stands. */
    static String details(TorrentStatus t, Set<String> labels, TorrentOptions options, SeedingStatus seeding) {
        return details(t, labels) + "\n" + new LabelledLines()
                .add("order", DaemonCommands.order(options))
                .add("seed goals", DaemonCommands.describe(options.seedingGoals()))
                .add("in force", DaemonCommands.describe(seeding.goals()))
                .add("seeding", String.format(Locale.ROOT, "%s seeded, %s idle", Durations.format(seeding.seedingSeconds()),
                        Durations.format(seeding.idleSeconds())))
                .toString().stripTrailing();
    }

    static String details(TorrentStatus t, Set<String> labels) {
        LabelledLines lines = new LabelledLines()
                .add("id", Integer.toString(t.id()))
                .add("name", t.name())
                .add("infohash", t.infoHash().toHex());
        t.infoHashV2().ifPresent(v2 -> lines.add("infohash v2", v2));
        lines.add("state", state(t));
        if (!labels.isEmpty()) {
            lines.add("labels", String.join(", ", labels));
        }
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
                .add("peers", t.peers() + " connected, " + t.seeds() + " seeds"
                        + (t.webSeeds() > 0 ? ", " + t.webSeeds() + " web seeds" : ""))
                .add("eta", Durations.format(t.eta()))
                .toString().stripTrailing();
    }

    static String files(List<FileStatus> files) {
        Table table = new Table(">IDX", "PRIO", ">DONE", ">SIZE", "PATH");
        for (FileStatus f : files) {
            table.row(f.index(), f.priority().name().toLowerCase(Locale.ROOT), percent(StatusJson.fileProgress(f)),
                    Sizes.format(f.size()), f.path());
        }
        return table.toString();
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

    static String webSeeds(List<WebSeedStatus> seeds) {
        Table table = new Table("WEB SEED", "KIND", "STATE", ">DOWN", ">RECEIVED", "ERROR");
        for (WebSeedStatus s : seeds) {
            table.row(s.url(), s.kind(), s.state(), Sizes.rate(s.downloadRate()), Sizes.format(s.downloaded()),
                    s.lastError().orElse(""));
        }
        return table.toString();
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

}
