package io.graytorrent.shell.internal;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.Stall;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.util.TorrentUrlFetch.FetchException;
import io.graytorrent.metainfo.MagnetException;
import io.graytorrent.metainfo.MagnetParser;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code bt:get}: the one-shot download. Adds the torrent (or resumes it when this runtime already
 * knows it), shows progress, and returns once every wanted piece is verified, or, with
 * {@code --seed}, keeps seeding until the ratio is reached or the command is interrupted.
 */
@Component(service = GetCommand.class, property = {"osgi.command.scope=bt", "osgi.command.function=get"})
public final class GetCommand {
    static final String USAGE = "get FILE.torrent|URL|MAGNET [-d DIR] [--peer HOST:PORT]... [--port N] [--seed] [--seed-ratio R]"
            + " [--timeout DURATION] [--encryption disabled|enabled|preferred|required] [--dht-node HOST:PORT]...";
    /**
     * Longest wait for a status: a running torrent's comes about once a second, a waiting one's only
     * when it changes, and meanwhile {@code --timeout} must still be checked.
     */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final long PLAIN_LINE_MILLIS = 5_000;

    @Reference
    private TorrentService torrents;
    private BundleContext context;

    private final MetainfoParser parser = new MetainfoParser();
    private final MagnetParser magnetParser = new MagnetParser();

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @Descriptor("download a torrent and end when it is complete and verified: " + USAGE)
    public String get(CommandSession session, @Descriptor("FILE.torrent|URL|MAGNET [options]") String... args)
            throws IOException, MetainfoException, MagnetException, TorrentException, InterruptedException,
            FetchException {
        // --port, --encryption and --dht-node are the launcher's: it sets them before the engine starts
        Arguments a = new Arguments(args, Set.of("--seed"), Map.of("-d", "--dir", "--dir", "--dir",
                "--peer", "--peer", "--port", "--port", "--seed-ratio", "--seed-ratio", "--timeout", "--timeout",
                "--encryption", "--encryption", "--dht-node", "--dht-node"));
        TorrentCommands.peers(a.all("--dht-node")); // checked here, so a bad one is a usage error
        String source = a.positionals(1, USAGE).get(0);
        Path directory = Paths.resolve(session, a.single("--dir", "."));
        List<InetSocketAddress> peers = TorrentCommands.peers(a.all("--peer"));
        String ratioText = a.single("--seed-ratio", null);
        String timeoutText = a.single("--timeout", null);
        Goal goal = new Goal(timeoutText == null ? null : Durations.parse(timeoutText),
                a.flag("--seed") || ratioText != null,
                ratioText == null ? Double.POSITIVE_INFINITY : parseRatio(ratioText), ratioText);

        if (Magnets.isMagnet(source)) {
            InfoHash infoHash = magnetParser.parse(source).infoHash();
            try (StatusFeed feed = StatusFeed.follow(context, infoHash)) { // before adding: no change is missed
                return follow(feed, addOrResume(source, infoHash, directory, peers), session, goal);
            }
        }
        byte[] torrent = TorrentFileReader.read(session, source);
        Metainfo metainfo = parser.parse(torrent);
        try (StatusFeed feed = StatusFeed.follow(context, metainfo.infoHash())) {
            return follow(feed, addOrResume(torrent, metainfo, directory, peers), session, goal);
        }
    }

    /** When to give up (null: never), and whether and how long to seed after the download. */
    private record Goal(Duration timeout, boolean seed, double seedRatio, String ratioText) {
    }

    /** Shows the progress the engine pushes until the download is complete (and, with --seed, seeded). */
    private String follow(StatusFeed feed, String ref, CommandSession session, Goal goal)
            throws TorrentException, InterruptedException {
        Progress progress = new Progress(System.err, ProgressBar.onTerminal(session));
        long started = System.nanoTime();
        TorrentStatus status = torrents.status(ref);
        GiveUp giveUp = new GiveUp(goal.timeout(), status);
        while (!status.isComplete() || status.state() == TorrentState.CHECKING
                || status.state() == TorrentState.FETCHING_METADATA) {
            status = awaitChange(feed, status, progress);
            giveUp.check(status);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.finish(status);
        String done = String.format(Locale.ROOT, "complete: %s (%s) in %s, average %s", status.name(),
                Sizes.format(status.wantedBytes()), Durations.format((long) seconds),
                Sizes.rate((long) (status.downloaded() / Math.max(seconds, 1e-3))));
        if (!goal.seed()) {
            return done;
        }
        System.out.println(done + "; seeding"
                + (goal.ratioText() == null ? " until interrupted" : " to ratio " + goal.ratioText()));
        while (status.ratio() < goal.seedRatio()) {
            status = awaitChange(feed, status, progress);
        }
        return String.format(Locale.ROOT, "seeded %s to ratio %.2f", status.name(), status.ratio());
    }

    /** The next status the engine tells, or {@code last} if it tells none for a while. */
    private static TorrentStatus awaitChange(StatusFeed feed, TorrentStatus last, Progress progress)
            throws InterruptedException, TorrentException {
        TorrentStatus status = feed.next(QUIET).orElse(last);
        if (status.state() == TorrentState.ERROR) {
            throw new TorrentException(TorrentException.Kind.FAILED,
                    "download failed: " + status.error().orElse("unknown error"));
        }
        progress.show(status);
        return status;
    }

    /** Resumes the torrent when this runtime manages it already in the same place, else adds it. */
    private String addOrResume(byte[] torrent, Metainfo metainfo, Path directory, List<InetSocketAddress> peers)
            throws TorrentException {
        String ref = metainfo.infoHash().toHex();
        Optional<TorrentStatus> known = torrents.list().stream()
                .filter(t -> t.infoHash().equals(metainfo.infoHash())).findFirst();
        // the engine reports where the files are: a multi-file torrent's directory is its name
        Path location = metainfo.multiFile() ? directory.resolve(metainfo.name()) : directory;
        if (known.isPresent() && !known.get().savePath().equals(location)) {
            torrents.remove(ref, false); // it was fetched elsewhere before: start over here
            known = Optional.empty();
        }
        if (known.isEmpty()) {
            torrents.add(new AddTorrent(torrent, directory, false, peers));
            return ref;
        }
        return resume(ref, peers);
    }

    /**
     * A magnet link: resumed when this runtime knows its infohash (fetching, or fetched before: then
     * it is an ordinary torrent), else added to fetch the metadata into {@code directory}.
     */
    private String addOrResume(String magnetLink, InfoHash infoHash, Path directory, List<InetSocketAddress> peers)
            throws TorrentException {
        if (torrents.list().stream().noneMatch(t -> t.infoHash().equals(infoHash))) {
            torrents.add(AddTorrent.magnet(magnetLink, directory, false, peers));
            return infoHash.toHex();
        }
        return resume(infoHash.toHex(), peers);
    }

    private String resume(String ref, List<InetSocketAddress> peers) throws TorrentException {
        torrents.start(ref);
        for (InetSocketAddress peer : peers) {
            torrents.connect(ref, peer);
        }
        return ref;
    }

    private static double parseRatio(String text) {
        try {
            double ratio = Double.parseDouble(text);
            if (ratio > 0 && Double.isFinite(ratio)) {
                return ratio;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("a seed ratio is a positive number, not " + text);
    }

    /**
     * {@code --timeout}: gives up once the download has made no progress (no bytes received, none
     * verified, no change of state) for that long, saying why as far as the engine can tell.
     */
    private static final class GiveUp {
        private final Duration timeout;
        private Mark mark;
        private long lastProgressNanos = System.nanoTime();

        /** What changes when the download gets somewhere. */
        private record Mark(TorrentState state, long downloaded, long verified) {
            Mark(TorrentStatus s) {
                this(s.state(), s.downloaded(), s.verifiedBytes());
            }
        }

        GiveUp(Duration timeout, TorrentStatus status) {
            this.timeout = timeout;
            this.mark = new Mark(status);
        }

        void check(TorrentStatus status) throws TorrentException {
            long now = System.nanoTime();
            if (!new Mark(status).equals(mark)) {
                mark = new Mark(status);
                lastProgressNanos = now;
            } else if (timeout != null && now - lastProgressNanos >= timeout.toNanos()) {
                throw new TorrentException(TorrentException.Kind.FAILED, "gave up: no progress for "
                        + Durations.format(timeout.toSeconds()) + ": " + status.stall().map(Stall::message)
                        .orElse("no diagnosis yet (the engine gives one after a while without progress)"));
            }
        }
    }

    /** A progress bar on a terminal; elsewhere a plain line every few seconds; a hint when stuck. */
    private static final class Progress {
        private final PrintStream stream;
        private final boolean terminal;
        private long lastLineMillis;
        /** The stall last hinted at, so each diagnosis is printed once. */
        private Stall.Kind hinted;

        Progress(PrintStream stream, boolean terminal) {
            this.stream = stream;
            this.terminal = terminal;
        }

        void show(TorrentStatus s) {
            hint(s);
            String line = s.totalBytes() == 0 // a magnet link's size is unknown until its metadata arrives
                    ? String.format(Locale.ROOT, "%s  peers %d", TorrentViews.state(s), s.peers())
                    : String.format(Locale.ROOT, "%s %s %6s of %s  down %s  up %s  peers %d%s  eta %s",
                            TorrentViews.state(s), bar(s.progress()), TorrentViews.percent(s.progress()),
                            Sizes.format(s.wantedBytes()), Sizes.rate(s.downloadRate()), Sizes.rate(s.uploadRate()),
                            s.peers(), s.webSeeds() > 0 ? " +" + s.webSeeds() + " web" : "", Durations.format(s.eta()));
            long now = System.currentTimeMillis();
            if (terminal) {
                stream.print("\r" + line + "\033[K");
            } else if (now - lastLineMillis >= PLAIN_LINE_MILLIS) {
                stream.println(s.name() + ": " + line); // a magnet link's name changes once its metadata arrives
                lastLineMillis = now;
            }
            stream.flush();
        }

        /** One line when the engine says why the torrent is stuck, and again if the reason changes. */
        private void hint(TorrentStatus s) {
            Stall.Kind kind = s.stall().map(Stall::kind).orElse(null);
            if (kind != null && kind != hinted) {
                long seconds = Math.max(0, (System.currentTimeMillis() - s.stall().get().since().toEpochMilli()) / 1000);
                stream.println((terminal ? "\r\033[K" : "") + "no progress for " + Durations.format(seconds) + ": "
                        + s.stall().get().message() + " (still trying)");
            }
            hinted = kind;
        }

        void finish(TorrentStatus s) {
            show(s);
            if (terminal) {
                stream.println();
            }
        }

        private static String bar(double fraction) {
            int width = 20;
            int filled = (int) Math.round(fraction * width);
            return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
        }
    }
}
