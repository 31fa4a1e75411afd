package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our DHT component on a loopback UDP socket and a libtorrent DHT node, each on its own loopback
 * address: each keeps the other in its routing table, and a torrent we run is announced to
 * libtorrent (implied port), whose get_peers then finds us.
 */
@Timeout(90)
@Interop
class DhtLibtorrentInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void pingFindNodeAndGetPeersWithLibtorrent() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: interop tests need Debian's python3 and python3-libtorrent");
        }
        InetSocketAddress libtorrent = new InetSocketAddress("127.0.10.1", freePort("127.0.10.1"));
        Path state = Files.createTempDirectory("dht-interop");
        try (ChannelUdpSocket socket = new ChannelUdpSocket(new InetSocketAddress("127.0.9.1", 0))) {
            DhtComponent us = new DhtComponent();
            us.start(socket, DhtSettings.DEFAULT, state.resolve(NodesFile.NAME), List.of());
            socket.handTo(us);
            int ourPort = socket.localAddress().getPort();
            Process python = new ProcessBuilder(PYTHON.toString(), script(), "127.0.10.1",
                    String.valueOf(libtorrent.getPort()), "127.0.9.1", String.valueOf(ourPort))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BlockingQueue<String> lines = readLines(python);
                await(lines, line -> line.contains("\"ready\""), "libtorrent started");
                await(lines, line -> line.matches("\\{\"nodes\": [1-9].*"), "libtorrent keeps our node");
                Await.until("libtorrent answered us and entered our table", LIMIT,
                        () -> us.status().ipv4().good() == 1);

                InfoHash infoHash = InfoHash.of(NodeId.random(new SecureRandom()).bytes());
                us.start(new RunningTorrent(infoHash, false, ourPort, true), peer -> { });
                Await.until("our get_peers lookup and announce_peer went to libtorrent", LIMIT,
                        () -> us.status().lookupsStarted() == 1 && us.status().lookupsRunning() == 0);
                OutputStream stdin = python.getOutputStream();
                stdin.write(("get " + infoHash.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                await(lines, line -> line.contains("127.0.9.1:" + ourPort),
                        "libtorrent's get_peers found the port we announced (implied_port)");
                assertEquals(0L, us.status().malformedIn(), "everything libtorrent sent decoded");
            } finally {
                python.getOutputStream().close();
                if (!python.waitFor(10, TimeUnit.SECONDS)) {
                    python.destroyForcibly();
                }
                us.deactivate();
                Files.deleteIfExists(state.resolve(NodesFile.NAME));
                Files.delete(state);
            }
        }
    }

    private static void await(BlockingQueue<String> lines, Predicate<String> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (wanted.test(line)) {
                return;
            }
        }
        fail("timed out waiting until " + what);
    }

    private static BlockingQueue<String> readLines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "libtorrent-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static String script() throws URISyntaxException {
        return Path.of(DhtLibtorrentInteropTest.class.getResource("/libtorrent_dht_node.py").toURI()).toString();
    }
}
