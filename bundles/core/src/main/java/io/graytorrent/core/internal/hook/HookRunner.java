package io.graytorrent.core.internal.hook;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one hook program: the argument list as given (no shell, so no quoting or injection through a
 * torrent's name), the event in its environment, stdin closed, stdout and stderr logged line by line
 * (at most {@link #MAX_LOGGED_LINES}, each cut to {@link #MAX_LINE_CHARS}), killed at its time limit.
 */
final class HookRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);
    static final int MAX_LOGGED_LINES = 200;
    static final int MAX_LINE_CHARS = 1000;
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** How a run ended: its exit code, or killed at the limit, or not started. */
    record Outcome(int exitCode, boolean killed, List<String> output) {
    }

    private HookRunner() {
    }

    static Outcome run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String name = command.get(0);
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> log(process, name, output), "hook output " + name);
        reader.setDaemon(true);
        reader.start();
        boolean killed = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killed = true;
                LOG.warn("hook {} ran longer than {} s: killed", name, timeout.toSeconds());
                kill(process);
            }
        } catch (InterruptedException e) {
            // the server stops: no hook outlives it
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            throw e;
        }
        // the output pipe ends when the last process holding it does; a grandchild kept alive would hold it
        reader.join(GRACE.toMillis());
        return new Outcome(process.isAlive() ? -1 : process.exitValue(), killed, List.copyOf(output));
    }

    /**
     * SIGTERM, then SIGKILL after a grace period; its children SIGKILL at once, but after it, so that
     * it does not go on (a shell would run its next line), and listed before, while they are still its own.
     */
    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void log(Process process, String name, List<String> output) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (output.size() < MAX_LOGGED_LINES) {
                    String cut = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line;
                    output.add(cut);
                    LOG.info("hook {}: {}", name, cut);
                }
            }
        } catch (IOException e) {
            LOG.debug("hook {}: output ended: {}", name, e.toString());
        }
    }
}
