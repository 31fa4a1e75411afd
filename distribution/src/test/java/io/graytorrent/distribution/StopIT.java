package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Interop;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) and SIGTERM end the real {@code gray get} cleanly in each of its phases: exit
 * 130 or 143, the stop line last, no error or stack trace in its output or log, and the next
 * {@code get} continues where it stopped. Also the server on SIGTERM.
 */
@Timeout(240)
@Interop
class StopIT {
    private static final String STOPPED = "stopped; what was downloaded and verified is kept: the same 'gray get' continues from there";
    private static final Pattern PERCENT = Pattern.compile("(\\d+\\.\\d)%");
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The seeder's data and its torrent, made once; each test has a GRAY_HOME of its own. */
    @TempDir
    static Path work;
    private Path home;
    private GrayCommand gray;
    private int runs;

    @BeforeAll
    static void createTorrent() throws Exception {
        byte[] bytes = new byte[8 << 20];
        new Random(25).nextBytes(bytes);
        Files.createDirectories(work.resolve("seed/data"));
        Files.write(work.resolve("seed/data/payload.bin"), bytes);
        // also makes bin/gray's class-data archive, so every later start is the JVM at once
        GrayCommand.assertSucceeds(new GrayCommand(work.resolve("home-create"), work)
                .run("create", "seed/data", "--piece-size", "64k", "-o", "data.torrent"));
    }

    @BeforeEach
    void setUp(TestInfo test) {
        home = work.resolve("home-" + test.getTestMethod().orElseThrow().getName());
        gray = new GrayCommand(home, work);
    }

    @Test
    void whileStarting() throws Exception {
        for (int signal : new int[] {SIGINT, SIGTERM}) {
            GrayCommand fresh = new GrayCommand(home.resolve(Integer.toString(signal)), work);
            Path log = home.resolve(signal + "/logs/gray-cli.log");
            Stopped stopped = stop(fresh, signal, output -> Files.exists(log), "get", "data.torrent", "-d", "seed");
            assertClean(stopped, log);
            GrayCommand.Result again = fresh.run("get", "data.torrent", "-d", "seed");
            assertTrue(again.exit() == 0 && again.out().contains("complete: data"), again.toString());
        }
    }

    @Test
    void whileFetchingMetadata() throws Exception {
        String magnet = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=unreachable&x.pe=127.0.0.1:" + closedPort();
        for (int signal : new int[] {SIGINT, SIGTERM}) {
            Stopped stopped = stop(gray, signal, output -> output.contains("fetching metadata"), "get", magnet, "-d", "out-magnet");
            assertClean(stopped, cliLog());
        }
        // the second run resumed the first's torrent: one record under GRAY_HOME/get
        try (var records = Files.list(home.resolve("get"))) {
            assertEquals(1, records.filter(p -> p.getFileName().toString().endsWith(".record")).count());
        }
    }

    @Test
    void whileChecking() throws Exception {
        Path big = work.resolve("big/zeros.bin");
        Files.createDirectories(big.getParent());
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(4L << 30); // sparse: hashing it costs CPU, not disk; seconds even on a quiet machine
        }
        Files.write(work.resolve("big.torrent"), torrentOfZeros("zeros.bin", 4L << 30, 4 << 20));
        for (int signal : new int[] {SIGINT, SIGTERM}) {
            Stopped stopped = stop(gray, signal, output -> output.contains("checking"), "get", "big.torrent", "-d", "big");
            assertClean(stopped, cliLog());
        }
        // no peer at all: completing proves the data stayed and was only checked
        GrayCommand.Result again = gray.run("get", "big.torrent", "-d", "big");
        assertTrue(again.exit() == 0 && again.out().contains("complete: zeros.bin"), again.toString());
    }

    @Test
    void whileDownloadingTheNextGetContinues() throws Exception {
        double reached = 0;
        try (LibtorrentSeeder slow = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("seed"), 256 << 10)) {
            for (int signal : new int[] {SIGINT, SIGTERM}) {
                double from = reached;
                Stopped stopped = stop(gray, signal, output -> lastPercent(output) > from + 5,
                        "get", "data.torrent", "-d", "out", "--peer", slow.address());
                assertClean(stopped, cliLog());
                assertTrue(firstPercent(stopped.err()) >= reached,
                        "the get started where the last one stopped, not from zero: " + stopped.err());
                reached = lastPercent(stopped.err());
            }
        }
        try (LibtorrentSeeder fast = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("seed"), 0)) {
            GrayCommand.Result done = gray.run("get", "data.torrent", "-d", "out", "--peer", fast.address());
            assertEquals(0, done.exit(), done.toString());
            assertTrue(firstPercent(done.err()) >= reached, "resumed at " + reached + "%: " + done.err());
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(work.resolve("seed/data/payload.bin")),
                Files.readAllBytes(work.resolve("out/data/payload.bin"))), "the download is the seeder's data");
    }

    @Test
    void whileSeeding() throws Exception {
        for (int signal : new int[] {SIGINT, SIGTERM}) {
            Stopped stopped = stop(gray, signal, output -> output.contains("seeding until interrupted"),
                    "get", "data.torrent", "-d", "seed", "--seed");
            assertClean(stopped, cliLog());
        }
    }

    @Test
    void theServerStopsCleanlyOnSigterm() throws Exception {
        GrayCommand.assertSucceeds(gray.run("server", "start"));
        GrayCommand.assertSucceeds(gray.run("add", "data.torrent", "-d", "seed"));
        long pid = Long.parseLong(Files.readString(home.resolve("server.pid")).trim());
        // a client streaming a command while the server stops: the case that logged an ERROR
        Process watch = gray.start(home.resolve("watch.out"), home.resolve("watch.err"), "watch");
        try {
            awaitOutput(watch, home.resolve("watch.out"), output -> output.contains("data"));
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
            server.onExit().get(30, TimeUnit.SECONDS);
            String said = Files.readString(home.resolve("logs/server.out"));
            assertTrue(said.strip().endsWith("graytorrent server stopped"), said);
            assertFalse(Files.exists(home.resolve("server.pid")), "the server removed its files");
            assertNoErrorIn(home.resolve("logs/gray.log"));
            assertEquals(3, gray.run("server", "status").exit());
        } finally {
            watch.destroyForcibly();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** What a stopped run printed, and how it ended. */
    private record Stopped(int signal, int exit, String out, String err) {
        @Override
        public String toString() {
            return "signal " + signal + ", exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Starts {@code gray args}, waits until its stderr/stdout satisfy {@code ready}, sends {@code signal}, waits for the end. */
    private Stopped stop(GrayCommand command, int signal, Predicate<String> ready, String... args) throws Exception {
        runs++;
        Files.createDirectories(home);
        Path out = home.resolve("run" + runs + ".out");
        Path err = home.resolve("run" + runs + ".err");
        Process process = command.start(out, err, args);
        try {
            awaitOutput(process, err, output -> ready.test(output + read(out)));
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            assertTrue(process.waitFor(40, TimeUnit.SECONDS), "gray " + String.join(" ", args) + " ended on signal " + signal);
            return new Stopped(signal, process.exitValue(), read(out), read(err));
        } finally {
            process.destroyForcibly();
        }
    }

    private static void awaitOutput(Process process, Path file, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!ready.test(read(file))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("never got there (alive " + process.isAlive() + "): " + read(file));
            }
            Thread.sleep(50);
        }
    }

    private static void assertClean(Stopped stopped, Path log) throws IOException {
        assertEquals(128 + stopped.signal(), stopped.exit(), stopped.toString());
        List<String> lines = stopped.err().lines().toList();
        assertEquals(STOPPED, lines.get(lines.size() - 1), stopped.toString());
        assertFalse(stopped.err().contains("error") || stopped.err().contains("\tat "), stopped.toString());
        assertNoErrorIn(log);
    }

    private static void assertNoErrorIn(Path log) throws IOException {
        String text = read(log);
        assertFalse(text.contains(" ERROR ") || text.contains("Exception"), log + ":\n" + text);
    }

    private Path cliLog() {
        return home.resolve("logs/gray-cli.log");
    }

    /** The progress of the first line past checking (a resumed torrent may show 0% while it opens). */
    private static double firstPercent(String output) {
        return output.lines().filter(line -> !line.contains("checking")).map(PERCENT::matcher).filter(Matcher::find)
                .mapToDouble(matcher -> Double.parseDouble(matcher.group(1))).findFirst().orElse(-1);
    }

    private static double lastPercent(String output) {
        Matcher matcher = PERCENT.matcher(output);
        double last = -1;
        while (matcher.find()) {
            last = Double.parseDouble(matcher.group(1));
        }
        return last;
    }

    /** A .torrent of {@code length} zero bytes: every piece has the same hash, so it costs one. */
    private static byte[] torrentOfZeros(String name, long length, int pieceLength) throws Exception {
        byte[] pieceHash = java.security.MessageDigest.getInstance("SHA-1").digest(new byte[pieceLength]);
        int pieces = (int) (length / pieceLength);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(("d4:infod6:lengthi" + length + "e4:name" + name.length() + ":" + name + "12:piece lengthi"
                + pieceLength + "e6:pieces" + pieces * 20 + ":").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < pieces; i++) {
            out.write(pieceHash);
        }
        out.write("ee".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
