package io.graytorrent.core.internal.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An {@link EngineProcess} driven by a test: started, killed with SIGKILL, started again on the
 * same state directory. A thread reads the process's status lines and keeps the latest.
 */
final class EngineNode implements AutoCloseable {
    private final List<String> arguments;
    private final Path log;
    private Process process;
    private volatile Run run = new Run();

    /** One start's output: a killed run's reader may still finish after the next run began. */
    private static final class Run {
        volatile Map<String, String> latest = Map.of();
        volatile boolean exited;
    }

    /** @param arguments the process's arguments after RATE: {@code LISTEN_PORT PEER_PORT...} */
    EngineNode(Path state, Path torrentFile, Path saveDirectory, Path log, List<String> arguments) {
        this.arguments = new ArrayList<>(List.of(state.toString(), torrentFile.toString(), saveDirectory.toString()));
        this.arguments.addAll(arguments);
        this.log = log;
    }

    /** Starts the process, its download limited to {@code rate} bytes/s (0: unlimited). */
    void start(long rate) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-cp", System.getProperty("java.class.path"), EngineProcess.class.getName()));
        command.addAll(arguments.subList(0, 3));
        command.add(Long.toString(rate));
        command.addAll(arguments.subList(3, arguments.size()));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Run started = new Run();
        run = started;
        Thread reader = new Thread(() -> read(out, started), "engine-node-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private static void read(BufferedReader out, Run run) {
        try (out) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("status ")) {
                    run.latest = Stream.of(line.substring(7).split(" ")).map(f -> f.split("=", 2))
                            .collect(Collectors.toUnmodifiableMap(f -> f[0], f -> f[1]));
                }
            }
        } catch (IOException e) {
            // the process died: exited tells the waiters
        }
        run.exited = true;
    }

    /** The last status line's fields (empty before the first). */
    Map<String, String> status() {
        return run.latest;
    }

    long verified() {
        return Long.parseLong(status().getOrDefault("verified", "0"));
    }

    /** Waits for a status line that matches; fails if the process exits or {@code timeout} passes. */
    Map<String, String> await(Predicate<Map<String, String>> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Run current = run;
        while (true) {
            Map<String, String> status = current.latest;
            if (!status.isEmpty() && condition.test(status)) {
                return status;
            }
            if (current.exited) {
                throw new AssertionError("the engine process exited: " + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching status within " + timeout + ", last " + status + ": " + logTail());
            }
            Thread.sleep(20);
        }
    }

    private String logTail() throws IOException {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return log + " ends with\n" + text.substring(Math.max(0, text.length() - 3000));
    }

    static Predicate<Map<String, String>> inState(String state) {
        return status -> status.get("state").equals(state);
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
