package io.graytorrent.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code gray server start|stop|status} and the server process itself. The running server holds a
 * lock on {@code GRAY_HOME/server.lock} for its whole life, so "is it running?" never trusts a
 * stale pid file; it writes {@code server.pid}, {@code control.port}, {@code control.scheme}, with
 * TLS {@code control.pem}, and a fresh {@code control.token} (all mode 600) once its control
 * endpoint answers.
 */
final class Server {
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final Distribution dist;
    private final GrayHome home;
    private final boolean debug;
    private final PrintStream out;
    private final PrintStream err;

    Server(Distribution dist, GrayHome home, boolean debug, PrintStream out, PrintStream err) {
        this.dist = dist;
        this.home = home;
        this.debug = debug;
        this.out = out;
        this.err = err;
    }

    /** The pid, control address and token of the running server, if one runs in this home. */
    record Running(long pid, ControlAddress control, String token) {
        ControlClient client() {
            return new ControlClient(control, token);
        }
    }

    Optional<Running> running() throws IOException {
        if (!Files.exists(home.lock())) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(home.lock(), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return Optional.empty();
            }
        }
        try {
            long pid = Long.parseLong(Files.readString(home.pid()).trim());
            int port = Integer.parseInt(Files.readString(home.controlPort()).trim());
            boolean https = Files.readString(home.controlScheme()).trim().equals(ControlAddress.HTTPS);
            Optional<String> certificate = https ? Optional.of(Files.readString(home.controlCertificate()))
                    : Optional.empty();
            String token = Files.readString(home.token()).trim();
            return Optional.of(new Running(pid, new ControlAddress(port, certificate), token));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // locked but not yet ready: still starting
        }
    }

    /**
     * {@code gray server start [--web]}: spawns the server in its own session and waits until it
     * answers; with {@code web}, says where the web UI is.
     */
    int start(boolean web) throws IOException, InterruptedException {
        home.create();
        Optional<Running> running = running();
        if (running.isPresent()) {
            err.println("error: a graytorrent server is already running (pid " + running.get().pid() + ")");
            return 1;
        }
        Path output = home.logs().resolve("server.out");
        Process process = new ProcessBuilder(serverCommand())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive() && running().isEmpty()) {
                err.println("error: the server failed to start (exit " + process.exitValue() + "); its output ("
                        + output + ") ends with:");
                tail(output).forEach(line -> err.println("  " + line));
                return 1;
            }
            Optional<Running> started = running();
            if (started.isPresent() && started.get().client().ping()) {
                out.println("graytorrent server started (pid " + started.get().pid() + ", control on "
                        + started.get().control().base() + ", home " + home.root() + ")");
                if (web) {
                    printWebUi(started.get().client());
                }
                return 0;
            }
            Thread.sleep(50);
        }
        err.println("error: the server did not answer within " + START_TIMEOUT_SECONDS + " s; see " + home.logs());
        return 1;
    }

    /** The same JVM, options and distribution, running {@code server run} in a session of its own. */
    private List<String> serverCommand() {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // detach from the terminal's session: no SIGHUP on logout
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Gray.class.getName());
        command.add("--home");
        command.add(home.root().toString());
        if (debug) {
            command.add("--debug");
        }
        command.add("server");
        command.add("run");
        return command;
    }

    /** {@code gray server run} (and {@code start --foreground [--web]}): this process is the server. */
    int run(boolean console, boolean web) throws Exception {
        home.create();
        try (FileChannel lockChannel = FileChannel.open(home.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = acquire(lockChannel)) {
            if (lock == null) {
                err.println("error: a graytorrent server is already running in " + home.root());
                return 1;
            }
            Logging.configure(dist, home, "gray", debug);
            String token = EmbeddedRuntime.newToken();
            EmbeddedRuntime runtime = EmbeddedRuntime.start(dist, home, home.frameworkCache(), false, token, console, Map.of());
            // on SIGTERM the JVM exits (143) when the hooks end, so the cleanup must happen in the hook
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                runtime.close();
                deleteServerFiles();
                out.println(runtime.stoppedCleanly() ? "graytorrent server stopped"
                        : "graytorrent server stopped, but not cleanly in time: the next start may check some data again");
                out.flush();
            }, "gray-shutdown"));
            try {
                ControlAddress control = runtime.awaitControl(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                GrayHome.writePrivate(home.token(), token);
                runtime.followControl(this::recordControl);
                GrayHome.writePrivate(home.pid(), Long.toString(ProcessHandle.current().pid()));
                if (web) {
                    printWebUi(new ControlClient(control, token));
                }
                if (console) {
                    out.println("graytorrent " + dist.version() + " running; control on " + control.base()
                            + ". 'help | grep bt:' lists graytorrent's commands, 'help bt:info' explains one, 'exit 0' stops.");
                }
                runtime.awaitStop();
            } finally {
                deleteServerFiles();
            }
            return 0;
        }
    }

    /**
     * Takes the server lock, retrying for a moment: a client asking "is a server running?" holds the
     * same lock for an instant (see {@link #running()}), which must not make this server give up.
     * A running server holds it for good, so after the retries the answer is reliable.
     */
    private static FileLock acquire(FileChannel lockChannel) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        FileLock lock = lockChannel.tryLock();
        while (lock == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lock = lockChannel.tryLock();
        }
        return lock;
    }

    /** The URL to open, and where the token to log in with is; or why there is no web UI. */
    private void printWebUi(ControlClient client) {
        if (client.servesWebUi()) {
            out.println("web UI: " + client.webUi() + " (log in with the token in " + home.token() + ")");
        } else {
            err.println("warning: no web UI answers at " + client.webUi()
                    + " (webUi=false in plugins/io.graytorrent.control.cfg turns it off)");
        }
    }

    /** The port last: at start a client waits for it, and then finds the scheme and certificate that go with it. */
    private void recordControl(ControlAddress control) {
        try {
            if (control.certificatePem().isPresent()) {
                GrayHome.writePrivate(home.controlCertificate(), control.certificatePem().get());
            } else {
                Files.deleteIfExists(home.controlCertificate());
            }
            GrayHome.writePrivate(home.controlScheme(), control.scheme());
            GrayHome.writePrivate(home.controlPort(), Integer.toString(control.port()));
        } catch (IOException e) {
            err.println("warning: could not record the control endpoint " + control.base() + ": " + e.getMessage());
        }
    }

    private void deleteServerFiles() {
        for (Path file : List.of(home.pid(), home.controlPort(), home.controlScheme(), home.controlCertificate(),
                home.token())) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                err.println("warning: could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    /** {@code gray server stop}: SIGTERM, then wait for the framework to stop cleanly. */
    int stop() throws IOException, InterruptedException {
        Optional<Running> running = running();
        if (running.isEmpty()) {
            err.println("error: no graytorrent server is running in " + home.root());
            return 1;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(running.get().pid());
        if (process.isEmpty()) {
            err.println("error: the server's pid " + running.get().pid() + " is gone, but its lock is held");
            return 1;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            err.println("error: the server (pid " + running.get().pid() + ") did not stop within "
                    + STOP_TIMEOUT_SECONDS + " s");
            return 1;
        }
        out.println("graytorrent server stopped (pid " + running.get().pid() + ")");
        return 0;
    }

    /** {@code gray server status}: exit 0 when running and answering, 3 when not running (as LSB). */
    int status() throws IOException {
        Optional<Running> running = running();
        if (running.isEmpty()) {
            out.println("graytorrent server is not running (home " + home.root() + ")");
            return 3;
        }
        boolean answers = running.get().client().ping();
        out.println("graytorrent server is running (pid " + running.get().pid() + ", control on "
                + running.get().control().base() + (answers ? "" : ", NOT ANSWERING") + ", home " + home.root() + ")");
        if (answers) {
            portMapping(running.get().client());
        }
        return answers ? 0 : 1;
    }

    /** The port mapping's line ({@code portmap --line}), when its plugin runs; nothing otherwise. */
    private void portMapping(ControlClient client) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(line, true, StandardCharsets.UTF_8);
             PrintStream ignored = new PrintStream(OutputStream.nullOutputStream())) {
            if (client.run(List.of("portmap", "--line"), home.root().toString(), false, capture, ignored) == 0) {
                out.print(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the status line above says enough
        }
    }

    private static List<String> tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.subList(Math.max(0, lines.size() - 15), lines.size());
    }
}
