package io.graytorrent.core.internal.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A libtorrent process (Debian's python3-libtorrent) driven over its stdin/stdout, see libtorrent_swarm_peer.py. */
final class LibtorrentPeer implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final Path log;
    final int port;

    LibtorrentPeer(String mode, Path torrentFile, Path saveDirectory, Path log) throws Exception {
        this(mode, torrentFile.toString(), saveDirectory, log);
    }

    /** {@code source}: a .torrent file's path, or in mode "magnet" a magnet link. */
    LibtorrentPeer(String mode, String source, Path saveDirectory, Path log) throws Exception {
        this.log = log;
        Path script = script();
        try {
            process = new ProcessBuilder(PYTHON, script.toString(), mode, source, saveDirectory.toString())
                    .redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("interop needs " + PYTHON + " with python3-libtorrent (apt-get install "
                    + "python3-libtorrent): " + e.getMessage(), e);
        }
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = readLine(Duration.ofSeconds(90));
        if (!ready.startsWith("ready ")) {
            close();
            throw new AssertionError("libtorrent " + mode + " did not start: " + ready + " " + stderr());
        }
        port = Integer.parseInt(ready.split(" ")[1].substring("port=".length()));
    }

    void connect(int peerPort) throws Exception {
        in.println("connect " + peerPort);
        String answer = readLine(Duration.ofSeconds(10));
        if (!answer.equals("ok")) {
            throw new AssertionError("libtorrent refused connect: " + answer);
        }
    }

    /** "status pieces=N seeding=True|False uploaded=B" */
    String status() throws Exception {
        in.println("status");
        return readLine(Duration.ofSeconds(10));
    }

    private String readLine(Duration timeout) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String text = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("libtorrent exited: " + stderr());
        }
        return text;
    }

    private String stderr() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Path script() throws URISyntaxException {
        return Path.of(LibtorrentPeer.class.getResource("/libtorrent_swarm_peer.py").toURI());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
