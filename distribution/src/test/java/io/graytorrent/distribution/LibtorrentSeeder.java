package io.graytorrent.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A libtorrent (python3-libtorrent) seeder on 127.0.0.1, killed by {@link #close()}. */
final class LibtorrentSeeder implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final int port;

    private LibtorrentSeeder(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Seeds {@code torrent} from {@code dataDirectory}, at most {@code uploadRate} bytes/s (0: no limit). */
    static LibtorrentSeeder start(Path torrent, Path dataDirectory, long uploadRate) throws Exception {
        return start(torrent, dataDirectory, uploadRate, false);
    }

    /** The same, accepting only RC4-encrypted (MSE) connections when {@code forceRc4}. */
    static LibtorrentSeeder start(Path torrent, Path dataDirectory, long uploadRate, boolean forceRc4) throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON)) || new ProcessBuilder(PYTHON, "-c", "import libtorrent")
                .redirectErrorStream(true).start().waitFor() != 0) {
            throw new IllegalStateException("python3-libtorrent is missing: apt-get install -y python3-libtorrent");
        }
        Path script = Files.createTempFile("libtorrent_seeder", ".py");
        try (var in = LibtorrentSeeder.class.getResourceAsStream("/libtorrent_seeder.py")) {
            Files.write(script, in.readAllBytes());
        }
        int port = freePort();
        Process process = new ProcessBuilder(PYTHON, script.toString(), torrent.toString(), dataDirectory.toString(),
                Integer.toString(port), Long.toString(uploadRate), forceRc4 ? "rc4" : "any").redirectErrorStream(true)
                .start();
        LibtorrentSeeder seeder = new LibtorrentSeeder(process, port);
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> readLine(output)).get(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("seeding")) {
                throw new IllegalStateException("the libtorrent seeder did not start: " + line);
            }
            return seeder;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            seeder.close();
            throw e;
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
