package io.graytorrent.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of a test's own, with only {@code lo} up: multicast on it reaches every
 * process inside (LSD) and nothing outside. A holder process ({@code unshare -n}, or
 * {@code unshare -rn} in a user namespace without root) keeps it alive; {@link #command} wraps a
 * command line to run inside it ({@code nsenter}, which execs it: the process started is the
 * command itself, ended by its own PID). Where no namespace can be made the test is skipped with
 * the reason. {@link #close()} ends the holder; the caller ends what it started inside.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final String SETUP = "ip link set lo up && echo ready && exec cat >/dev/null";

    private final Process holder;
    private final boolean userNamespace;

    private NetworkNamespace(Process holder, boolean userNamespace) {
        this.holder = holder;
        this.userNamespace = userNamespace;
    }

    /** A new namespace, or the test skipped (aborted) saying why none could be made. */
    public static NetworkNamespace create() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (boolean userNamespace : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of("unshare", userNamespace ? "-rn" : "-n", "sh", "-c", SETUP));
            Process holder;
            try {
                holder = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                failures.add(String.join(" ", command) + ": " + e.getMessage());
                continue;
            }
            String first = firstLine(holder);
            if ("ready".equals(first)) {
                return new NetworkNamespace(holder, userNamespace);
            }
            holder.destroyForcibly();
            holder.waitFor(5, TimeUnit.SECONDS);
            failures.add(String.join(" ", command) + ": " + first);
        }
        Assumptions.abort("skipped: cannot create a network namespace here (needs root or user namespaces): " + failures);
        throw new AssertionError("unreachable");
    }

    /** The holder's PID: {@code ip link ... netns PID} moves a device (a veth end) into this namespace. */
    public long pid() {
        return holder.pid();
    }

    /** {@code command} run inside the namespace. */
    public List<String> command(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid())));
        if (userNamespace) {
            wrapped.addAll(List.of("-U", "--preserve-credentials"));
        }
        wrapped.add("-n");
        wrapped.addAll(command);
        return wrapped;
    }

    @Override
    public void close() throws InterruptedException {
        holder.destroyForcibly();
        holder.waitFor(10, TimeUnit.SECONDS);
    }

    private static String firstLine(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        try {
            return line.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "no answer in 10 s";
        }
    }
}
