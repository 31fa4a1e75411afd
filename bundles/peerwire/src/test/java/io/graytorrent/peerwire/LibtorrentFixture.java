package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.api.InfoHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real libtorrent peer (Debian's python3-libtorrent) driven through src/test/resources/
 * libtorrent_peer.py: it seeds or leeches a fresh random v1 torrent of {@link #SIZE} bytes on 127.0.0.1 and answers
 * commands on its stdin. Closing it kills the process.
 */
final class LibtorrentFixture implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    static final int PIECE_LENGTH = 64 * 1024;
    /** Four whole pieces and a short fifth, so the last block is short too. */
    static final int SIZE = 4 * PIECE_LENGTH + 1000;

    final Map<String, String> ready = new HashMap<>();
    final InfoHash infoHash;
    final int pieces;
    final byte[] payload;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    /** Starts it in {@code mode} (seed or leech) with {@code encryption} (default, rc4 or disabled). */
    LibtorrentFixture(Path workdir, String mode, String encryption) throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: the interop tests need Debian's python3 with python3-libtorrent");
        }
        Path script = Path.of(getClass().getResource("/libtorrent_peer.py").toURI());
        process = new ProcessBuilder(PYTHON, script.toString(), mode, workdir.toString(), Integer.toString(SIZE),
                Integer.toString(PIECE_LENGTH), encryption).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String line = readLine();
        if (!line.startsWith("ready ")) {
            close();
            fail("the libtorrent fixture did not start: " + line);
        }
        for (String field : line.substring(6).split(" ")) {
            String[] kv = field.split("=", 2);
            ready.put(kv[0], kv[1]);
        }
        infoHash = InfoHash.parse(ready.get("infohash"));
        pieces = Integer.parseInt(ready.get("pieces"));
        payload = Files.readAllBytes(Path.of(ready.get("file")));
    }

    int port() {
        return Integer.parseInt(ready.get("port"));
    }

    /** A line from the fixture, bounded in time: a fixture that hangs fails the test. */
    private String readLine() throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String text = line.get(30, TimeUnit.SECONDS);
        if (text == null) {
            fail("the libtorrent fixture exited with " + process.waitFor() + " (see its stderr above)");
        }
        return text;
    }

    /** Sends a command; the answer is the lines up to {@code lastLine}, or one line if that is null. */
    List<String> command(String command, String lastLine) throws Exception {
        in.write(command + "\n");
        in.flush();
        List<String> lines = new ArrayList<>();
        for (String line = readLine(); !line.equals(lastLine); line = readLine()) {
            if (line.startsWith("error ")) {
                fail("libtorrent fixture: " + line);
            }
            lines.add(line);
            if (lastLine == null) {
                break;
            }
        }
        return lines;
    }

    /** Polls {@code status} until libtorrent has verified every piece, or the deadline passes. */
    String awaitSeeding(long deadlineNanos) throws Exception {
        String status = command("status", null).get(0);
        while (!status.endsWith("seeding=True") && System.nanoTime() < deadlineNanos) {
            Thread.sleep(100);
            status = command("status", null).get(0);
        }
        return status;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
