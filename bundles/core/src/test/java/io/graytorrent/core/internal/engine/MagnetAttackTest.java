package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.session.TorrentRuntime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentState;
import io.graytorrent.core.internal.engine.HostileMetadataPeer.Lie;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A magnet download on 127.0.0.1 whose link names only hostile peers ({@link HostileMetadataPeer}),
 * each lying about the metadata in its own way, while an honest engine seeds the torrent: every
 * liar is dealt with on the wire, then the honest seeder is connected and the download completes
 * with the seeder's bytes, the memory in use bounded.
 */
@Slow
class MagnetAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The silent peer holds a request for the fetcher's whole timeout before it is dropped. */
    private static final Duration DEALT_WITH = Duration.ofMillis(TorrentRuntime.METADATA_REQUEST_TIMEOUT_MILLIS).plusSeconds(10);
    private static final long MEMORY_GROWTH_BOUND = 48L << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void liarsAboutTheMetadataAreDroppedTheForgerBannedAndTheMagnetCompletesFromAnHonestSeeder() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "pack", 32 * 1024, 5, 700_000, 300_000);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        InetAddress forgerAddress = InetAddress.getByName("127.0.0.3");
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher-state"),
                     TestSettings.withBanThreshold(dir.resolve("downloads"), 1));
             HostileMetadataPeer oversized = new HostileMetadataPeer(metainfo.infoHash(), metainfo.info(), Lie.OVERSIZED_OFFER);
             HostileMetadataPeer silent = new HostileMetadataPeer(metainfo.infoHash(), metainfo.info(), Lie.SILENT);
             HostileMetadataPeer wrongSize = new HostileMetadataPeer(metainfo.infoHash(), metainfo.info(), Lie.WRONG_TOTAL_SIZE);
             HostileMetadataPeer forger = new HostileMetadataPeer(metainfo.infoHash(), metainfo.info(), Lie.FORGED, forgerAddress)) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            long memoryBefore = AttackedSwarm.usedMemoryAfterGc();
            String link = "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex() + Stream.of(oversized, silent, wrongSize, forger)
                    .map(peer -> "&x.pe=" + peer.address().getAddress().getHostAddress() + ":" + peer.address().getPort())
                    .collect(Collectors.joining());
            leecher.engine.add(AddTorrent.magnet(link, dir.resolve("leech"), false, List.of()));

            Await.until("the oversized offer was dropped without a request", DEALT_WITH, () -> oversized.closedByRemote.get() >= 1);
            assertEquals(0, oversized.requests.get(), "nothing is asked of a peer offering 64 MiB of metadata");
            Await.until("the peer sending a wrong total_size was dropped", DEALT_WITH, () -> wrongSize.closedByRemote.get() >= 1);
            Await.until("the forger was dropped", DEALT_WITH, () -> forger.closedByRemote.get() >= 1);
            assertTrue(leecher.engine.isBanned(forgerAddress), "metadata failing the infohash counts toward a ban");
            assertFalse(leecher.engine.isBanned(InetAddress.getByName("127.0.0.2")),
                    "a wrong total_size or an oversized offer is dropped, not counted toward a ban");
            Await.until("the silent peer was dropped when its request timed out", DEALT_WITH, () -> silent.closedByRemote.get() >= 1);
            assertEquals(TorrentState.FETCHING_METADATA, leecher.engine.status("1").state());

            leecher.engine.connect("1", seeder.address());
            leecher.await(1, EngineFixture.seeding(), WAIT);
            TestData.assertSameTree(dir.resolve("seed/pack"), dir.resolve("leech/pack"));
            System.out.printf("magnet attack: requests received: oversized %d, silent %d, wrong total_size %d, forger %d%n",
                    oversized.requests.get(), silent.requests.get(), wrongSize.requests.get(), forger.requests.get());

            long growth = AttackedSwarm.usedMemoryAfterGc() - memoryBefore;
            System.out.printf("magnet attack: download complete and correct; memory growth %.1f MiB%n",
                    growth / (double) (1 << 20));
            assertTrue(growth < MEMORY_GROWTH_BOUND, "memory grew by " + growth + " bytes");
        }
    }

}
