package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.source.FakePeerSource;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A peer source plugin, faked in-process: the engine tells it what runs, downloads from what it finds, and keeps private torrents from it. */
@Timeout(60)
@Unit
class PeerSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aPeerFoundByASourceIsDialledShownWithItsOriginAndServesTheDownload() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "t", 32 * 1024, 7, 600_000, 400_000);
        // the leecher reads slowly, so the peer list can be seen before both sides are seeds and part
        EngineSettings slow = TestSettings.with(dir.resolve("downloads"), 5, 200_000, 0, Duration.ofSeconds(30));
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"));
                EngineFixture leecher = new EngineFixture(dir.resolve("leecher"), slow)) {
            int seeding = seeder.add(torrent, dir.resolve("seed")).id();
            seeder.await(seeding, EngineFixture.seeding(), WAIT);
            FakePeerSource dht = new FakePeerSource(PeerOrigin.DHT, seeder.address());
            leecher.engine.peerSources().add(dht);

            TorrentStatus added = leecher.add(torrent, dir.resolve("down"));
            String ref = Integer.toString(added.id());
            assertTrue(dht.awaitStarted(added.infoHash(), WAIT), "the running torrent was told to the source");
            PeerStatus seen = awaitPeer(leecher, ref);
            assertEquals(PeerOrigin.DHT, seen.source());
            assertTrue(seen.outgoing());
            assertEquals(PeerOrigin.INCOMING, awaitPeer(seeder, Integer.toString(seeding)).source());

            leecher.await(added.id(), EngineFixture.seeding(), WAIT);
            TestData.assertSameTree(dir.resolve("seed/t"), dir.resolve("down/t"));
        }
    }

    @Test
    void aPrivateTorrentIsToldToATrackerSourceButNeverToTheDht() throws Exception {
        TestData.multiFileTorrent(dir.resolve("seed"), "p", 32 * 1024, 8, 100_000);
        byte[] privateTorrent = TorrentCreator.forPath(dir.resolve("seed/p")).pieceLength(32 * 1024)
                .privateTorrent(true).create();
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            FakePeerSource dht = new FakePeerSource(PeerOrigin.DHT, null);
            FakePeerSource tracker = new FakePeerSource(PeerOrigin.TRACKER, null);
            fixture.engine.peerSources().add(dht);
            fixture.engine.peerSources().add(tracker);
            TorrentStatus added = fixture.add(privateTorrent, dir.resolve("down"));
            assertTrue(tracker.awaitStarted(added.infoHash(), WAIT));
            assertTrue(dht.started.isEmpty(), "BEP 27: no DHT for a private torrent");
        }
    }

    @Test
    void aHybridIsToldToSourcesUnderBothInfohashesAndDownloadsFromAPeerFoundUnderEither() throws Exception {
        TestData.multiFileTorrent(dir.resolve("seed"), "h", 32 * 1024, 9, 100_000, 50_000);
        byte[] hybrid = TorrentCreator.forPath(dir.resolve("seed/h")).pieceLength(32 * 1024)
                .format(TorrentCreator.Format.HYBRID).create();
        io.graytorrent.metainfo.Metainfo metainfo = new io.graytorrent.metainfo.MetainfoParser().parse(hybrid);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"));
                EngineFixture leecher = new EngineFixture(dir.resolve("leecher"))) {
            seeder.await(seeder.add(hybrid, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            FakePeerSource dht = new FakePeerSource(PeerOrigin.DHT, seeder.address());
            leecher.engine.peerSources().add(dht);
            TorrentStatus added = leecher.add(hybrid, dir.resolve("down"));
            assertTrue(dht.awaitStarted(metainfo.infoHash(), WAIT), "the v1 swarm");
            assertTrue(dht.awaitStarted(metainfo.v2().orElseThrow().infoHash().truncated(), WAIT), "the v2 swarm");
            leecher.await(added.id(), EngineFixture.seeding(), WAIT);
            TestData.assertSameTree(dir.resolve("seed/h"), dir.resolve("down/h"));
        }
    }

    private static PeerStatus awaitPeer(EngineFixture fixture, String ref) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<PeerStatus> peers = fixture.engine.peers(ref);
            if (!peers.isEmpty()) {
                return peers.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no peer connected to torrent " + ref + " within " + WAIT);
    }
}
