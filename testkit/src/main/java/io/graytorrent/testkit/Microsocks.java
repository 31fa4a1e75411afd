package io.graytorrent.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real SOCKS5 server, Debian's {@code microsocks} (RFC 1928 CONNECT, RFC 1929 username/password,
 * no UDP ASSOCIATE), listening on 127.0.0.1 and making its outgoing connections from
 * {@link #EXTERNAL}, so a peer behind it sees that address and not ours. A child process ended by
 * {@link #close()} (by its PID).
 */
public final class Microsocks implements AutoCloseable {
    public static final String BINARY = "/usr/bin/microsocks";
    public static final String INSTALL = "microsocks is missing: apt-get install microsocks (bash .ci/run installs it)";
    /** The address the proxy's outgoing connections come from. */
    public static final String EXTERNAL = "127.0.0.2";

    private final Process process;
    private final Path log;
    public final int port;

    /** A proxy requiring {@code user}/{@code password}, or no authentication when {@code user} is null. */
    public Microsocks(String user, String password, Path workDirectory) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(INSTALL);
        }
        Files.createDirectories(workDirectory);
        this.log = workDirectory.resolve("microsocks.log");
        this.port = LoopbackServers.freePort();
        List<String> command = new ArrayList<>(List.of(BINARY, "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-b", EXTERNAL));
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", password));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until("microsocks listening on 127.0.0.1:" + port, Duration.ofSeconds(10), this::accepts);
    }

    /** {@code socks5://127.0.0.1:PORT}, as the peer wire's {@code proxy} key takes it. */
    public String url() {
        return "socks5://127.0.0.1:" + port;
    }

    private boolean accepts() {
        if (!process.isAlive()) {
            throw new AssertionError("microsocks exited: " + output());
        }
        return LoopbackServers.accepts(port);
    }

    /** What it printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        LoopbackServers.stop(process);
    }
}
