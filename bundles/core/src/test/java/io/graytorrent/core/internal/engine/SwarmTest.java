package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentStatus;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Our own engines on 127.0.0.1: one seeder, three leechers and a peer that sends corrupt data. */
@Unit
class SwarmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyLeecherFinishesWithCorrectDataAndTheCorruptingPeerIsBanned() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "swarm", 64 * 1024, 1,
                3_000_000, 2_500_000, 17, 2_000_000);
        var metainfo = new MetainfoParser().parse(torrent);
        List<EngineFixture> engines = new ArrayList<>();
        try (CorruptingPeer bad = new CorruptingPeer(metainfo.infoHash(), metainfo.pieceCount())) {
            EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"));
            engines.add(seeder);
            int seedId = seeder.add(torrent, dir.resolve("seed")).id();
            seeder.await(seedId, EngineFixture.seeding(), WAIT);

            List<InetSocketAddress> known = new ArrayList<>(List.of(bad.address(), seeder.address()));
            for (int i = 0; i < 3; i++) {
                EngineFixture leecher = new EngineFixture(dir.resolve("leecher" + i + "-state"));
                engines.add(leecher);
                leecher.add(torrent, dir.resolve("leecher" + i), known.toArray(InetSocketAddress[]::new));
                known.add(leecher.address());
            }
            for (int i = 1; i < engines.size(); i++) {
                TorrentStatus done = engines.get(i).await(1, EngineFixture.seeding(), WAIT);
                assertEquals(done.wantedBytes(), done.verifiedBytes());
                TestData.assertSameTree(dir.resolve("seed/swarm"), dir.resolve("leecher" + (i - 1) + "/swarm"));
            }
            assertTrue(bad.blocksServed.get() > 0, "the corrupting peer was asked for blocks");
            InetAddress badAddress = bad.address().getAddress();
            long banning = engines.stream().filter(e -> e.engine.isBanned(badAddress)).count();
            assertTrue(banning >= 1, "at least one leecher banned the corrupting peer");
            for (EngineFixture engine : engines) {
                if (engine.engine.isBanned(badAddress)) {
                    assertTrue(engine.engine.peers("1").stream().noneMatch(p -> p.address().getAddress().equals(badAddress)),
                            "a banned peer stays disconnected");
                }
            }
            System.out.printf("swarm: corrupting peer served %d blocks, banned by %d of 3 leechers%n",
                    bad.blocksServed.get(), banning);
        } finally {
            engines.forEach(EngineFixture::close);
        }
    }
}
