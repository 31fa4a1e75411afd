package io.graytorrent.launcher;

import io.graytorrent.api.RuntimeProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code gray} command. {@code gray server …} manages the server; every other command is a
 * {@code bt} command: sent to the running server over its control endpoint, or — for the commands
 * that need no server — run in a runtime started for just that command, through the same endpoint.
 */
public final class Gray {
    static final int EXIT_USAGE = 2;
    /** Commands that make sense without a server: they read or write files and end. */
    private static final Set<String> ONE_SHOT_COMMANDS = Set.of("info", "create");
    /** Downloads in a runtime of its own, listening on its own port, whether or not a server runs. */
    private static final String GET = "get";
    private static final String GET_STOPPED =
            "stopped; what was downloaded and verified is kept: the same 'gray get' continues from there";
    /** The peer wire's encryption policies, checked here because a bad one would stop the engine starting. */
    private static final List<String> ENCRYPTION_POLICIES = List.of("disabled", "enabled", "preferred", "required");

    private final PrintStream out;
    private final PrintStream err;

    Gray(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int exit;
        try {
            exit = new Gray(System.out, System.err).run(List.of(args));
        } catch (Exception e) {
            System.err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            exit = 1;
        }
        System.out.flush();
        System.exit(exit);
    }

    int run(List<String> arguments) throws Exception {
        String homeOption = null;
        boolean debug = false;
        List<String> args = new ArrayList<>(arguments);
        while (!args.isEmpty() && args.get(0).startsWith("--")) {
            String option = args.remove(0);
            if (option.equals("--home") && !args.isEmpty()) {
                homeOption = args.remove(0);
            } else if (option.equals("--debug")) {
                debug = true;
            } else if (option.equals("--help")) {
                return usage(out, 0);
            } else if (option.equals("--version")) {
                out.println("graytorrent " + Distribution.fromSystemProperty().version());
                return 0;
            } else {
                err.println("error: unknown option " + option);
                return usage(err, EXIT_USAGE);
            }
        }
        if (args.isEmpty() || args.get(0).equals("help")) {
            return usage(args.isEmpty() ? err : out, args.isEmpty() ? EXIT_USAGE : 0);
        }
        Distribution dist = Distribution.fromSystemProperty();
        GrayHome home = GrayHome.resolve(homeOption);
        Server server = new Server(dist, home, debug, out, err);
        if (args.get(0).equals("server")) {
            return serverCommand(server, args.subList(1, args.size()));
        }
        boolean tty = System.console() != null;
        String cwd = Path.of("").toAbsolutePath().toString();
        if (args.get(0).equals(GET)) {
            return runOneShot(dist, home, debug, args, cwd, tty, getProperties(home, args));
        }
        Optional<Server.Running> running = server.running();
        if (running.isPresent()) {
            return running.get().client().run(args, cwd, tty, out, err);
        }
        if (!ONE_SHOT_COMMANDS.contains(args.get(0))) {
            err.println("error: '" + args.get(0) + "' needs a running server: start one with 'gray server start'");
            return 1;
        }
        Path scratch = Files.createTempDirectory("graytorrent-state-");
        try {
            // an engine with no torrents of its own, on a port of the system's choosing
            return runOneShot(dist, home, debug, args, cwd, tty, Map.of(
                    RuntimeProperties.STATE_DIRECTORY_PROPERTY, scratch.toString(), RuntimeProperties.LISTEN_PORT_PROPERTY, "0"));
        } finally {
            deleteRecursively(scratch);
        }
    }

    /**
     * {@code gray get} keeps its own resume state under GRAY_HOME/get (so an interrupted download
     * continues next time, and the server's torrents stay out of it), listens on {@code --port},
     * encrypts as {@code --encryption} says and joins the DHT through the {@code --dht-node}s: all
     * set before its engine starts.
     */
    private static Map<String, String> getProperties(GrayHome home, List<String> args) {
        Map<String, String> properties = new HashMap<>();
        properties.put(RuntimeProperties.STATE_DIRECTORY_PROPERTY, home.root().resolve("get").toString());
        int port = args.indexOf("--port");
        if (port > 0 && port + 1 < args.size()) {
            properties.put(RuntimeProperties.LISTEN_PORT_PROPERTY, args.get(port + 1));
        }
        int encryption = args.indexOf("--encryption");
        if (encryption > 0 && encryption + 1 < args.size()) {
            String policy = args.get(encryption + 1);
            if (!ENCRYPTION_POLICIES.contains(policy)) {
                throw new IllegalArgumentException("--encryption is one of " + String.join(", ", ENCRYPTION_POLICIES)
                        + ", not '" + policy + "'");
            }
            properties.put(RuntimeProperties.ENCRYPTION_PROPERTY, policy);
        }
        List<String> dhtNodes = new ArrayList<>();
        for (int i = 1; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--dht-node")) {
                dhtNodes.add(args.get(i + 1));
            }
        }
        if (!dhtNodes.isEmpty()) {
            properties.put(RuntimeProperties.DHT_NODES_PROPERTY, String.join(",", dhtNodes));
        }
        return properties;
    }

    private int serverCommand(Server server, List<String> args) throws Exception {
        String action = args.isEmpty() ? "" : args.get(0);
        return switch (action) {
            case "start" -> args.contains("--foreground")
                    ? server.run(System.console() != null, args.contains("--web"))
                    : server.start(args.contains("--web"));
            case "run" -> server.run(false, false);
            case "stop" -> server.stop();
            case "status" -> server.status();
            default -> {
                err.println("error: gray server takes start [--foreground] [--web], stop or status");
                yield EXIT_USAGE;
            }
        };
    }

    /**
     * Starts a private runtime (own storage, in-memory token), runs one command in it, stops it. A
     * signal at any moment stops it cleanly too (see {@link StopOnSignal}).
     */
    private int runOneShot(Distribution dist, GrayHome home, boolean debug, List<String> args, String cwd, boolean tty,
            Map<String, String> frameworkProperties) throws Exception {
        home.create();
        Logging.configure(dist, home, "gray-cli", debug);
        String token = EmbeddedRuntime.newToken();
        try (OneShotStorage storage = OneShotStorage.open(dist, home)) {
            StopOnSignal onSignal = StopOnSignal.install(err, args.get(0).equals(GET) ? GET_STOPPED : "");
            EmbeddedRuntime runtime = null;
            try {
                runtime = EmbeddedRuntime.start(dist, home, storage.directory(), storage.reusable(), token,
                        false, frameworkProperties);
                onSignal.started(runtime, storage::stoppedCleanly);
                ControlClient client = new ControlClient(runtime.awaitControl(30, TimeUnit.SECONDS), token);
                onSignal.running(client);
                return client.run(args, cwd, tty, out, err);
            } finally {
                onSignal.finished(); // after a signal, never returns: the hook stops the runtime
                if (runtime != null) {
                    runtime.close();
                    if (runtime.stoppedCleanly()) {
                        storage.stoppedCleanly();
                    }
                }
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static int usage(PrintStream stream, int exit) {
        stream.println("""
                usage: gray [--home DIR] [--debug] COMMAND [ARGS]

                  gray server start [--foreground] [--web]
                                                     start the server (a daemon; --foreground stays attached;
                                                     --web prints the web UI's address)
                  gray server stop | status          stop it, or tell whether it runs
                  gray get FILE.torrent|URL|MAGNET [-d DIR] [--peer HOST:PORT]... [--port N] [--seed] [--seed-ratio R]
                           [--timeout DURATION] [--encryption disabled|enabled|preferred|required]
                           [--dht-node HOST:PORT]...
                                                     download (or verify) and exit when complete; --timeout
                                                     gives up after DURATION (90s, 5m) without progress;
                                                     --dht-node joins the DHT there instead of the routers
                  gray info FILE.torrent|MAGNET|REF [--json]
                                                     what a .torrent or magnet link holds, or a managed torrent
                  gray create PATH -t URL [-t URL]... [--piece-size auto|N] [--private]
                              [--comment C] [--web-seed URL]... [--http-seed URL]... [--force]
                              -o OUT.torrent
                                                     make a v1 torrent of a file or directory

                In a server:
                  gray add FILE.torrent|URL|MAGNET [-d DIR] [--paused] [--peer HOST:PORT]...
                  gray ls [--label NAME]... [--json] | watch
                                                     list the torrents (watch refreshes live)
                  gray label REF [+NAME|-NAME]...    add and remove a torrent's labels
                  gray start|stop|verify REF...      REF: id, infohash or a unique infohash prefix
                  gray rm [-r] REF...                remove (-r also deletes the data)
                  gray files REF [--json]            files and priorities
                  gray prio REF FILE...|all high|normal|low|skip
                  gray peers REF [--json]            connected peers
                  gray trackers REF [--json]         trackers: status, last and next announce, errors
                  gray connect REF HOST:PORT...      connect a torrent to peers you know
                  gray dht [--json]                  the DHT node: id, routing tables, lookups, stored peers
                  gray turtle [on|off] [--down RATE] [--up RATE] [--schedule 'mon-fri 09:00-17:00;...']
                                                     the alternative (turtle) speed limits: show, switch,
                                                     set their rates and weekly schedule ('' for none)

                Commands run in the server when one runs (GRAY_HOME, default ~/.graytorrent);
                get, info and create also work without one.""");
        return exit;
    }
}
