package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.storage.TorrentStorage;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.LibtorrentPeer;
import io.graytorrent.testkit.Seeds;
import io.graytorrent.testkit.Soak;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and restart soak: three graytorrent engine processes, a libtorrent seeder and a libtorrent
 * leecher swap a torrent on 127.0.0.1 while the engine processes are killed with SIGKILL at random
 * and started again on their state directories. Then every download must complete with the seed's
 * bytes, and each engine must come back from a last kill complete without downloading anything,
 * with resume data a full re-hash agrees with. {@code -Dsoak.seconds=N} (default 60) sets the
 * killing time; the {@code soak} profile of this module runs it for 30 minutes.
 */
@Soak
class CrashSoakTest {
    private static final int NODES = 3;
    private static final long[] FILE_SIZES = {9_000_000, 5_000_000, 17, 2_000_000};
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws Exception {
        Collections.reverse(processes);
        for (AutoCloseable process : processes) {
            process.close();
        }
    }

    @Test
    void killedAndRestartedEnginesFinishWithCorrectDataAndConsistentResumeState() {
        long soakSeconds = Long.getLong("soak.seconds", 60);
        assertTimeoutPreemptively(Duration.ofSeconds(soakSeconds + 300), () -> soak(soakSeconds));
    }

    private void soak(long soakSeconds) throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "soak", 64 * 1024, 21, FILE_SIZES);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        Path torrentFile = Files.write(dir.resolve("soak.torrent"), torrent);
        LibtorrentPeer seeder = started(new LibtorrentPeer("seed", torrentFile, dir.resolve("seed"), dir.resolve("lt-seed.log")));
        LibtorrentPeer leecher = started(new LibtorrentPeer("leech", torrentFile, dir.resolve("lt-leech"),
                dir.resolve("lt-leech.log")));

        List<Integer> ports = freePorts(NODES);
        List<EngineNode> nodes = new ArrayList<>();
        // alone, a node would need about the killing time for the whole torrent
        long rate = Math.max(32 * 1024, metainfo.totalLength() / soakSeconds);
        for (int i = 0; i < NODES; i++) {
            // each node dials both libtorrent peers and the other nodes, and libtorrent's leecher dials it
            List<String> arguments = new ArrayList<>(List.of(ports.get(i).toString(), Integer.toString(seeder.port),
                    Integer.toString(leecher.port)));
            for (int other = 0; other < NODES; other++) {
                if (other != i) {
                    arguments.add(ports.get(other).toString());
                }
            }
            EngineNode node = started(new EngineNode(dir.resolve("node" + i), torrentFile, dir.resolve("data" + i),
                    dir.resolve("node" + i + ".log"), arguments));
            node.start(rate);
            nodes.add(node);
            leecher.connect(ports.get(i));
        }

        Random random = Seeds.random(CrashSoakTest.class);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(soakSeconds);
        int kills = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(1500 + random.nextInt(2500));
            int victim = random.nextInt(NODES);
            restart(nodes.get(victim), random.nextInt(1000), rate, leecher, ports.get(victim));
            kills++;
        }
        System.out.printf("crash soak: %d s, %d kills; the nodes then %s of %d bytes%n", soakSeconds, kills,
                nodes.stream().map(node -> node.status().get("state") + " " + node.verified()).toList(),
                metainfo.totalLength());

        // one more kill each, restarting without the rate limit, and everyone finishes
        for (int i = 0; i < NODES; i++) {
            restart(nodes.get(i), 0, 0, leecher, ports.get(i));
        }
        for (EngineNode node : nodes) {
            node.await(EngineNode.inState("SEEDING"), WAIT);
        }
        awaitLibtorrentSeeding(leecher);
        String expected = sha1(dir.resolve("seed/soak"));
        for (int i = 0; i < NODES; i++) {
            assertEquals(expected, sha1(dir.resolve("data" + i + "/soak")), "node " + i + "'s data");
        }
        assertEquals(expected, sha1(dir.resolve("lt-leech/soak")), "the libtorrent leecher's data");

        for (int i = 0; i < NODES; i++) {
            Path state = dir.resolve("node" + i);
            Await.until("node " + i + "'s completion checkpointed", WAIT, () -> TestData.checkpointedBytes(state,
                    metainfo.totalLength(), metainfo.pieceLength()) == metainfo.totalLength());
        }
        for (int i = 0; i < NODES; i++) {
            assertResumesComplete(nodes.get(i), metainfo.totalLength());
            assertRehashAgrees(metainfo, dir.resolve("node" + i), dir.resolve("data" + i));
        }
        System.out.printf("crash soak: all %d engines and libtorrent complete with SHA-1 %s; resume state "
                + "consistent after the last kill%n", NODES, expected);
    }

    /** SIGKILL, down for {@code downMillis}, then a start at {@code rate}; once it is up libtorrent dials it again. */
    private static void restart(EngineNode node, long downMillis, long rate, LibtorrentPeer leecher, int port)
            throws Exception {
        node.kill();
        Thread.sleep(downMillis);
        node.start(rate);
        node.await(status -> true, WAIT);
        leecher.connect(port);
    }

    /** Killed once more, the node comes back complete and downloads nothing in the next 2 s. */
    private static void assertResumesComplete(EngineNode node, long totalLength) throws Exception {
        node.kill();
        node.start(0);
        Map<String, String> resumed = node.await(s -> !s.get("state").equals("CHECKING"), WAIT);
        assertEquals("SEEDING", resumed.get("state"), "complete straight after the restart: " + resumed);
        assertEquals(Long.toString(totalLength), resumed.get("verified"));
        Await.throughout("nothing downloaded again", Duration.ofSeconds(2),
                () -> resumed.get("downloaded").equals(node.status().get("downloaded")));
        node.kill();
    }

    /** The storage's resume data (read as an engine start reads it) and a full re-hash give the same pieces. */
    private static void assertRehashAgrees(Metainfo metainfo, Path state, Path saveDirectory) throws Exception {
        StorageService storage = Storages.create(StorageConfig.defaults(state));
        try {
            TorrentStorage opened = storage.open(metainfo, saveDirectory, List.of()).get(30, TimeUnit.SECONDS);
            BitSet resumed = opened.verifiedPieces();
            BitSet rehashed = opened.recheck((checked, total) -> { }).get(30, TimeUnit.SECONDS);
            assertEquals(metainfo.pieceCount(), resumed.cardinality(), "the resume data holds every piece");
            assertEquals(resumed, rehashed, "a re-hash agrees with the resume data");
            opened.close();
        } finally {
            storage.close();
        }
    }

    private static void awaitLibtorrentSeeding(LibtorrentPeer leecher) throws Exception {
        Await.value("libtorrent seeding", WAIT, leecher::status, status -> status.contains("seeding=True"));
    }

    private <T extends AutoCloseable> T started(T process) {
        processes.add(process);
        return process;
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** One SHA-1 over every file of the tree, in path order. */
    private static String sha1(Path root) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-1");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(root.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
