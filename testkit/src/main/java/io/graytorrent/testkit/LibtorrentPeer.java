package io.graytorrent.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A libtorrent peer process on 127.0.0.1 driven over its stdin and stdout (libtorrent_fixture.py's
 * seed, leech and magnet modes); {@link #close()} kills it.
 */
public final class LibtorrentPeer implements AutoCloseable {
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final Path log;
    /** The fields of the ready line: port, pieces, and for a torrent file infohash, piece_length, metadata_size. */
    public final Map<String, String> ready;
    public final int port;
    /** The address it listens on: 127.0.0.1, or the one given with {@code --address}. */
    public final String host;

    /** {@code mode} seed or leech from {@code torrentFile}; options as the script takes them, e.g. "--port", "6881". */
    public LibtorrentPeer(String mode, Path torrentFile, Path saveDirectory, Path log, String... options)
            throws Exception {
        this(mode, torrentFile.toString(), saveDirectory, log, options);
    }

    /** {@code source}: a .torrent file's path, or in mode "magnet" a magnet link. The script's stderr goes to {@code log}. */
    public LibtorrentPeer(String mode, String source, Path saveDirectory, Path log, String... options)
            throws Exception {
        this(null, mode, source, saveDirectory, log, options);
    }

    /** The same inside {@code namespace} (null: none), whose {@code lo} is then the peer's 127.0.0.1. */
    public LibtorrentPeer(NetworkNamespace namespace, String mode, String source, Path saveDirectory, Path log,
            String... options) throws Exception {
        this.log = log;
        List<String> arguments = new ArrayList<>(List.of(mode, source, saveDirectory.toString()));
        arguments.addAll(List.of(options));
        List<String> command = Libtorrent.command(arguments.toArray(String[]::new));
        process = new ProcessBuilder(namespace == null ? command : namespace.command(command))
                .redirectError(log.toFile()).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = readLine(Duration.ofSeconds(90));
        if (!line.startsWith("ready ")) {
            close();
            throw new AssertionError("libtorrent " + mode + " did not start: " + line + " " + stderr()
                    + (line.startsWith("error the python3 libtorrent module") ? "\n" + Libtorrent.INSTALL : ""));
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring("ready ".length()).split(" ")) {
            String[] pair = field.split("=", 2);
            fields.put(pair[0], pair[1]);
        }
        ready = Map.copyOf(fields);
        port = Integer.parseInt(ready.get("port"));
        int address = List.of(options).indexOf("--address");
        host = address >= 0 ? options[address + 1] : "127.0.0.1";
    }

    /** "HOST:PORT", as a magnet link's x.pe or {@code gray connect} takes it. */
    public String address() {
        return host + ":" + port;
    }

    /** Makes libtorrent dial 127.0.0.1:{@code peerPort}. */
    public void connect(int peerPort) throws Exception {
        command("connect " + peerPort, "ok");
    }

    /** How many TCP connections libtorrent has accepted on its listen port so far. */
    public int accepted() throws Exception {
        return Integer.parseInt(command("accepted", null).get(0).substring("accepted ".length()));
    }

    /** Makes libtorrent dial another libtorrent peer, on whatever address it listens. */
    public void connect(LibtorrentPeer other) throws Exception {
        connect(other.host, other.port);
    }

    /** Makes libtorrent dial {@code host}:{@code peerPort} (a loopback address). */
    public void connect(String host, int peerPort) throws Exception {
        command("connect " + peerPort + " " + host, "ok");
    }

    /** "status pieces=N seeding=True|False uploaded=B" */
    public String status() throws Exception {
        return command("status", null).get(0);
    }

    /**
     * "peer client=V address=IP:PORT encryption=rc4|plaintext-after-mse|plaintext source=S transport=tcp|utp
     * holepunched=yes|no state=connecting|handshake|connected" for each connection; S: how libtorrent learnt of
     * the peer, e.g. "pex", "incoming", "pex,incoming" or "-"; holepunched: libtorrent dialled it on a BEP 55
     * connect message; state: connected once the BitTorrent handshake is done.
     */
    public List<String> peers() throws Exception {
        return command("peers", "end");
    }

    /** Sends a command; the answer is the lines up to {@code lastLine}, or one line if that is null. */
    public List<String> command(String command, String lastLine) throws Exception {
        in.println(command);
        List<String> lines = new ArrayList<>();
        for (String line = readLine(ANSWER); !line.equals(lastLine); line = readLine(ANSWER)) {
            if (line.startsWith("error ")) {
                throw new AssertionError("libtorrent fixture: " + line);
            }
            lines.add(line);
            if (lastLine == null) {
                break;
            }
        }
        return lines;
    }

    private String readLine(Duration limit) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String text;
        try {
            text = line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("no answer from libtorrent within " + limit + ": " + stderr(), e);
        }
        if (text == null) {
            throw new AssertionError("libtorrent exited: " + stderr());
        }
        return text;
    }

    private String stderr() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
