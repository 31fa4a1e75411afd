package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our node on a real UDP socket (the interim {@link UdpDhtEndpoint}) and a libtorrent DHT node, each
 * on its own loopback address: ping/find_node both ways (each keeps the other in its routing
 * table), our get_peers gets libtorrent's token, and libtorrent's get_peers finds a peer we store.
 */
@Timeout(90)
@Interop
class DhtLibtorrentInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void pingFindNodeAndGetPeersWithLibtorrent() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: interop tests need Debian's python3 and python3-libtorrent");
        }
        SecureRandom random = new SecureRandom();
        NodeId ourId = NodeId.random(random);
        InetSocketAddress libtorrent = new InetSocketAddress("127.0.10.1", freePort("127.0.10.1"));
        try (UdpDhtEndpoint us = new UdpDhtEndpoint(new InetSocketAddress("127.0.9.1", 0),
                transport -> new DhtNode(ourId, DhtSettings.DEFAULT, System::nanoTime, random, transport))) {
            Process python = new ProcessBuilder(PYTHON.toString(), script(), "127.0.10.1",
                    String.valueOf(libtorrent.getPort()), "127.0.9.1", String.valueOf(us.localAddress().getPort()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BlockingQueue<String> lines = readLines(python);
                await(lines, line -> line.contains("\"ready\""), "libtorrent started");

                us.execute(() -> us.nodeForTheOwningThread().bootstrap(List.of(libtorrent)));
                awaitOnNode(us, node -> node.table(false).closest(ourId, 8).stream()
                        .anyMatch(n -> n.address().equals(libtorrent)), "libtorrent answered our find_node");
                await(lines, line -> line.matches("\\{\"nodes\": [1-9].*"), "libtorrent keeps our node");

                NodeId infoHash = NodeId.random(random);
                CompletableFuture<Lookup> lookup = new CompletableFuture<>();
                us.execute(() -> us.nodeForTheOwningThread().lookup(infoHash, false, true, -1, peers -> { },
                        lookup::complete));
                Lookup done = lookup.get(30, TimeUnit.SECONDS);
                assertTrue(done.announceTargets().keySet().stream().anyMatch(n -> n.address().equals(libtorrent)),
                        "libtorrent answered get_peers with a token");

                NodeId stored = NodeId.random(random);
                InetSocketAddress peer = new InetSocketAddress("127.0.9.1", 6000);
                us.execute(() -> us.nodeForTheOwningThread().store().announce(stored, peer));
                OutputStream stdin = python.getOutputStream();
                stdin.write(("get " + stored + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                await(lines, line -> line.contains("127.0.9.1:6000"), "libtorrent's get_peers found our stored peer");

                CompletableFuture<Long> answered = new CompletableFuture<>();
                us.execute(() -> answered.complete(us.nodeForTheOwningThread().counters().malformedIn()));
                assertEquals(0L, answered.get(5, TimeUnit.SECONDS), "everything libtorrent sent decoded");
            } finally {
                python.getOutputStream().close();
                if (!python.waitFor(10, TimeUnit.SECONDS)) {
                    python.destroyForcibly();
                }
            }
        }
    }

    private static void awaitOnNode(UdpDhtEndpoint endpoint, Predicate<DhtNode> condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            CompletableFuture<Boolean> holds = new CompletableFuture<>();
            endpoint.execute(() -> holds.complete(condition.test(endpoint.nodeForTheOwningThread())));
            if (holds.get(5, TimeUnit.SECONDS)) {
                return;
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(100); // polling a condition, bounded by the deadline
        }
        fail("timed out waiting until " + what);
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
