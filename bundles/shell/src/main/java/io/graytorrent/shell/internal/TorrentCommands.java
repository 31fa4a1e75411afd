package io.graytorrent.shell.internal;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.api.json.StatusJson;
import io.graytorrent.api.util.TorrentUrlFetch.FetchException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The server's torrent commands. Anywhere a torrent is named, REF is its id, its infohash or a
 * unique prefix of at least 4 hex digits of it.
 */
@Component(service = TorrentCommands.class, property = {
    "osgi.command.scope=bt",
    "osgi.command.function=add",
    "osgi.command.function=ls",
    "osgi.command.function=start",
    "osgi.command.function=stop",
    "osgi.command.function=rm",
    "osgi.command.function=files",
    "osgi.command.function=prio",
    "osgi.command.function=peers",
    "osgi.command.function=trackers",
    "osgi.command.function=verify",
    "osgi.command.function=connect",
    "osgi.command.function=watch"
})
public final class TorrentCommands {
    private static final String JSON = "--json";

    @Reference
    private TorrentService torrents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TorrentLabels labels;

    @Descriptor("add a torrent: add FILE.torrent|URL|MAGNET [-d DIR] [--paused] [--peer HOST:PORT]...")
    public String add(CommandSession session, @Descriptor("FILE.torrent|URL|MAGNET [options]") String... args)
            throws IOException, TorrentException, FetchException {
        String usage = "add FILE.torrent|URL|MAGNET [-d DIR] [--paused] [--peer HOST:PORT]...";
        Arguments a = new Arguments(args, Set.of("--paused"), Map.of("-d", "--dir", "--dir", "--dir", "--peer", "--peer"));
        String source = a.positionals(1, usage).get(0);
        String dir = a.single("--dir", null);
        Path directory = dir == null ? null : Paths.resolve(session, dir);
        List<InetSocketAddress> peers = peers(a.all("--peer"));
        TorrentStatus added = torrents.add(Magnets.isMagnet(source)
                ? AddTorrent.magnet(source, directory, a.flag("--paused"), peers)
                : new AddTorrent(TorrentFileReader.read(session, source), directory, a.flag("--paused"), peers));
        return "added " + added.id() + ": " + added.name() + " (" + added.infoHash() + ") in " + added.savePath()
                + (added.state() == TorrentState.FETCHING_METADATA ? ", fetching metadata" : "");
    }

    static List<InetSocketAddress> peers(List<String> given) {
        List<InetSocketAddress> peers = new ArrayList<>();
        given.forEach(peer -> peers.add(PeerAddresses.parse(peer)));
        return peers;
    }

    @Descriptor("list the torrents, or those with every label given: ls [--label NAME]... [--json]")
    public String ls(@Descriptor("[--label NAME]... [--json]") String... args) {
        Arguments a = new Arguments(args, Set.of(JSON), Map.of("--label", "--label"));
        a.positionals(0, "ls [--label NAME]... [--json]");
        LabelViews views = new LabelViews(labels);
        List<TorrentStatus> list = views.withAll(torrents.list(), a.all("--label"));
        return a.flag(JSON) ? JsonOutput.write(list.stream().map(views::json).toList())
                : TorrentViews.list(list, views::of);
    }

    @Descriptor("start torrents: start REF...")
    public String start(@Descriptor("REF...") String... refs) throws TorrentException {
        for (String ref : required(refs, "start REF...")) {
            torrents.start(ref);
        }
        return "started " + String.join(", ", refs);
    }

    @Descriptor("stop torrents (they keep their data and place): stop REF...")
    public String stop(@Descriptor("REF...") String... refs) throws TorrentException {
        for (String ref : required(refs, "stop REF...")) {
            torrents.stop(ref);
        }
        return "stopped " + String.join(", ", refs);
    }

    @Descriptor("remove torrents; -r also deletes their data: rm [-r] REF...")
    public String rm(@Descriptor("[-r] REF...") String... args) throws TorrentException {
        Arguments a = new Arguments(args, Set.of("-r", "--delete-data"), Map.of());
        boolean deleteData = a.flag("-r") || a.flag("--delete-data");
        List<String> refs = a.positionalsAtLeast(1, "rm [-r] REF...");
        for (String ref : refs) {
            torrents.remove(ref, deleteData);
        }
        return "removed " + String.join(", ", refs) + (deleteData ? " and deleted their data" : "");
    }

    @Descriptor("show a torrent's files and priorities: files REF [--json]")
    public String files(@Descriptor("REF [--json]") String... args) throws TorrentException {
        Arguments a = new Arguments(args, Set.of(JSON), Map.of());
        String ref = a.positionals(1, "files REF [--json]").get(0);
        return a.flag(JSON) ? JsonOutput.write(torrents.files(ref).stream().map(StatusJson::file).toList())
                : TorrentViews.files(torrents.files(ref));
    }

    private static final Set<String> ORDER_FLAGS = Set.of("--sequential", "--no-sequential", "--first-last",
            "--no-first-last");

    @Descriptor("set file priorities: prio REF FILE...|all high|normal|low|skip; or the piece order (streaming):"
            + " prio REF [--sequential|--no-sequential] [--first-last|--no-first-last]")
    public String prio(@Descriptor("REF FILE... LEVEL, or REF ORDER-FLAGS") String... args) throws TorrentException {
        String usage = "prio REF FILE...|all high|normal|low|skip, or prio REF [--sequential|--no-sequential]"
                + " [--first-last|--no-first-last]";
        if (List.of(args).stream().anyMatch(ORDER_FLAGS::contains)) {
            Arguments a = new Arguments(args, ORDER_FLAGS, Map.of());
            String ref = a.positionals(1, usage).get(0);
            TorrentOptions options = torrents.options(ref);
            boolean sequential = a.flag("--sequential") || (!a.flag("--no-sequential") && options.sequential());
            boolean firstLast = a.flag("--first-last") || (!a.flag("--no-first-last") && options.firstLastPiecesFirst());
            TorrentOptions now = torrents.updateOptions(ref, new TorrentOptions(sequential, firstLast,
                    options.seedingGoals()));
            return "piece order of " + ref + " now " + DaemonCommands.order(now);
        }
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        String ref = args[0];
        FilePriority priority = priority(args[args.length - 1]);
        List<String> fileArgs = List.of(args).subList(1, args.length - 1);
        List<Integer> indexes = fileArgs.equals(List.of("all"))
                ? IntStream.range(0, torrents.files(ref).size()).boxed().toList()
                : fileArgs.stream().map(TorrentCommands::fileIndex).toList();
        torrents.setFilePriority(ref, indexes, priority);
        return "files " + (fileArgs.equals(List.of("all")) ? "all" : String.join(", ", fileArgs)) + " of " + ref
                + " now " + priority.name().toLowerCase(Locale.ROOT);
    }

    private static FilePriority priority(String level) {
        try {
            return FilePriority.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a priority is high, normal, low or skip, not " + level);
        }
    }

    private static int fileIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("files are given by the index 'files' shows, not " + text);
        }
    }

    @Descriptor("show a torrent's peers and web seeds: peers REF [--json]")
    public String peers(@Descriptor("REF [--json]") String... args) throws TorrentException {
        Arguments a = new Arguments(args, Set.of(JSON), Map.of());
        String ref = a.positionals(1, "peers REF [--json]").get(0);
        List<PeerStatus> peers = torrents.peers(ref);
        List<WebSeedStatus> webSeeds = torrents.webSeeds(ref);
        if (a.flag(JSON)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("peers", peers.stream().map(StatusJson::peer).toList());
            json.put("webSeeds", webSeeds.stream().map(StatusJson::webSeed).toList());
            return JsonOutput.write(json);
        }
        return webSeeds.isEmpty() ? TorrentViews.peers(peers)
                : TorrentViews.peers(peers) + "\n\n" + TorrentViews.webSeeds(webSeeds);
    }

    @Descriptor("show a torrent's trackers and what they last said: trackers REF [--json]")
    public String trackers(@Descriptor("REF [--json]") String... args) throws TorrentException {
        Arguments a = new Arguments(args, Set.of(JSON), Map.of());
        String ref = a.positionals(1, "trackers REF [--json]").get(0);
        return a.flag(JSON) ? JsonOutput.write(torrents.trackers(ref).stream().map(StatusJson::tracker).toList())
                : TorrentViews.trackers(torrents.trackers(ref), java.time.Instant.now());
    }

    @Descriptor("re-hash torrents' data and rebuild what is verified: verify REF...")
    public String verify(@Descriptor("REF...") String... refs) throws TorrentException {
        for (String ref : required(refs, "verify REF...")) {
            torrents.verify(ref);
        }
        return "verifying " + String.join(", ", refs) + " (state: checking)";
    }

    @Descriptor("connect a torrent to peers: connect REF HOST:PORT...")
    public String connect(@Descriptor("REF HOST:PORT...") String... args) throws TorrentException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: connect REF HOST:PORT...");
        }
        List<InetSocketAddress> peers = peers(List.of(args).subList(1, args.length));
        for (InetSocketAddress peer : peers) {
            torrents.connect(args[0], peer);
        }
        return "connecting " + args[0] + " to " + peers.size() + (peers.size() == 1 ? " peer" : " peers");
    }

    @Descriptor("show the torrent list live until interrupted: watch [--interval SECONDS] [--count N]")
    public void watch(CommandSession session, @Descriptor("[--interval SECONDS] [--count N]") String... args)
            throws InterruptedException {
        Arguments a = new Arguments(args, Set.of(), Map.of("--interval", "--interval", "--count", "--count"));
        a.positionals(0, "watch [--interval SECONDS] [--count N]");
        long intervalMillis = Math.round(Double.parseDouble(a.single("--interval", "1")) * 1000);
        long count = Long.parseLong(a.single("--count", Long.toString(Long.MAX_VALUE)));
        boolean terminal = ProgressBar.onTerminal(session);
        PrintStream out = System.out;
        for (long shown = 0; shown < count; shown++) {
            if (shown > 0) {
                Thread.sleep(Math.max(100, intervalMillis));
            }
            // on a terminal: home the cursor and clear, so the view refreshes in place
            out.print((terminal ? "\033[H\033[2J" : "") + TorrentViews.list(torrents.list(), new LabelViews(labels)::of) + "\n");
            out.flush();
        }
    }

    private static List<String> required(String[] refs, String usage) {
        if (refs.length == 0) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return List.of(refs);
    }
}
