package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Opentracker;
import io.graytorrent.testkit.Interop;
import io.graytorrent.tracker.http.internal.HttpTrackerClient;
import io.graytorrent.tracker.http.internal.HttpTrackerConfiguration;
import io.graytorrent.tracker.udp.internal.UdpTrackerClient;
import io.graytorrent.tracker.udp.internal.UdpTrackerConfiguration;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines that know nothing of each other find each other through a real opentracker, over
 * http and over udp, with the tracker plugins as the engine would bind them; the download
 * completes and the tracker's scrape counts it.
 */
@Interop
class OpentrackerInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void enginesFindEachOtherOverHttp() throws Exception {
        findEachOther(Opentracker::httpUrl, new HttpTrackerClient(defaults(HttpTrackerConfiguration.class)));
    }

    @Test
    @Timeout(120)
    void enginesFindEachOtherOverUdp() throws Exception {
        try (UdpTrackerClient udp = new UdpTrackerClient(defaults(UdpTrackerConfiguration.class))) {
            findEachOther(Opentracker::udpUrl, udp);
        }
    }

    private void findEachOther(Function<Opentracker, String> trackerUrl, TrackerClient client) throws Exception {
        Path content = dir.resolve("seed").resolve("payload.bin");
        Files.createDirectories(content.getParent());
        byte[] bytes = new byte[3 * 1024 * 1024 + 123];
        new Random(7).nextBytes(bytes);
        Files.write(content, bytes);
        // the infohash does not depend on the announce URL, so the whitelist can be written first
        Metainfo probe = new MetainfoParser().parse(TorrentCreator.forPath(content).pieceLength(64 * 1024).create());
        try (Opentracker tracker = new Opentracker(List.of(probe.infoHash().toHex()))) {
            String url = trackerUrl.apply(tracker);
            byte[] torrent = TorrentCreator.forPath(content).pieceLength(64 * 1024).tracker(url).create();
            TrackerClients clients = new TrackerClients();
            clients.add(client, List.of(URI.create(url).getScheme()));
            try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"),
                            EngineSettings.defaults(dir.resolve("unused")), clients);
                    EngineFixture leecher = new EngineFixture(dir.resolve("leecher-state"),
                            EngineSettings.defaults(dir.resolve("unused")), clients)) {
                int seedId = seeder.add(torrent, dir.resolve("seed")).id();
                seeder.await(seedId, EngineFixture.seeding(), WAIT);
                awaitTracker(seeder, "working");

                int leechId = leecher.add(torrent, dir.resolve("leech")).id(); // no peers given: only the tracker knows
                leecher.await(leechId, EngineFixture.seeding(), WAIT);
                assertEquals(-1, Files.mismatch(content, dir.resolve("leech").resolve("payload.bin")));

                ScrapeResponse counts = Await.value("the tracker counting the completed leecher", Duration.ofSeconds(20),
                        () -> client.scrape(URI.create(url), probe.infoHash()).get(10, TimeUnit.SECONDS),
                        scrape -> scrape.completed() >= 1 && scrape.seeders() >= 2);
                assertEquals(1, counts.completed(), "the leecher's completed announce is counted: " + counts);
                assertEquals(2, counts.seeders(), "both engines seed now: " + counts);
                TrackerStatus status = leecher.engine.trackers("1").get(0);
                assertEquals(url, status.url());
                assertEquals("working", status.status());
                assertTrue(status.nextAnnounce().isPresent());
            }
        }
    }

    private static void awaitTracker(EngineFixture engine, String status) throws Exception {
        Await.value("the tracker " + status, Duration.ofSeconds(20), () -> engine.engine.trackers("1"),
                trackers -> trackers.get(0).status().equals(status));
    }

    /** A configuration annotation with every attribute at its default, as Configuration Admin gives it. */
    static <A> A defaults(Class<A> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getDefaultValue()));
    }
}
