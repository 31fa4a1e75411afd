package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Opentracker;
import io.graytorrent.tracker.http.internal.HttpTrackerClient;
import io.graytorrent.tracker.http.internal.HttpTrackerConfiguration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine behind a "router": it listens on 127.0.0.2, announces to a real opentracker from
 * 127.0.0.1, and the {@link Hairpin} forwards 127.0.0.1 back to it, as a home router forwards its
 * public address. opentracker lists the engine to itself at 127.0.0.1; the first dial there
 * comes back with our own peer id, and the engine never dials that address again.
 */
@Interop
class SelfConnectionTest {
    /** Without the lesson, the back-off would redial after 2 s and again 4 s later. */
    private static final Duration WATCH = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void anAddressTheTrackerListsForUsIsDialledOnceAndNeverAgain() throws Exception {
        Path content = dir.resolve("seed").resolve("payload.bin");
        Files.createDirectories(content.getParent());
        byte[] bytes = new byte[256 * 1024];
        new Random(11).nextBytes(bytes);
        Files.write(content, bytes);
        byte[] probe = TorrentCreator.forPath(content).pieceLength(64 * 1024).create();
        InetAddress inside = InetAddress.getByName("127.0.0.2");
        try (Opentracker tracker = new Opentracker(List.of(new MetainfoParser().parse(probe).infoHash().toHex()));
                Hairpin router = new Hairpin(InetAddress.getByName("127.0.0.1"), inside)) {
            byte[] torrent = TorrentCreator.forPath(content).pieceLength(64 * 1024).tracker(tracker.httpUrl()).create();
            TrackerClients clients = new TrackerClients();
            clients.add(new HttpTrackerClient(OpentrackerInteropTest.defaults(HttpTrackerConfiguration.class)),
                    List.of("http"));
            int port = router.address().getPort();
            try (EngineFixture engine = new EngineFixture(dir.resolve("state"),
                    EngineSettings.defaults(dir.resolve("unused")), clients,
                    PeerWireSettings.defaults().listeningOn(inside.getHostAddress(), port))) {
                engine.add(torrent, dir.resolve("leech")); // wants peers: only the tracker can give any
                long start = System.nanoTime();
                InetSocketAddress listed = router.address();
                await("the tracker listed us and the engine dialled that address", () -> router.forwarded.get() >= 1);
                await("the dial came back to ourselves", () -> engine.engine.isOurself(listed));
                long firstDial = System.nanoTime();
                // watching for a dial that must not come: the window covers two rounds of the back-off
                while (System.nanoTime() - firstDial < WATCH.toNanos()) {
                    assertEquals(1, router.forwarded.get(), "dials of our own address");
                    Thread.sleep(100);
                }
                System.out.printf("self-connection: %s dialled once, %d ms after the start; no dial in the %d s after%n",
                        listed, (firstDial - start) / 1_000_000, WATCH.toSeconds());
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }
}
