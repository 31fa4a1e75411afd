package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.SessionSettings;
import io.graytorrent.core.internal.blocklist.Blocklist;
import io.graytorrent.core.internal.blocklist.BlocklistParser;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list loaded while a peer is connected closes that connection when it now blocks the peer's address,
 * counts it as refused, and the peer is not let back: a seeder throttled to 32 KiB/s keeps the leecher
 * busy for a minute, and the leecher's list gains the seeder's address (127.0.0.1) midway.
 */
@Timeout(120)
@Unit
class BlocklistReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aNewListClosesTheConnectionsItBlocks() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "slow", 32 * 1024, 5, 2 << 20);
        Path list = Files.writeString(dir.resolve("list.p2p"), "elsewhere:10.9.9.0-10.9.9.255\n");
        EngineSettings defaults = EngineSettings.defaults(dir.resolve("downloads"));
        EngineSettings throttled = defaults.with(new SessionSettings(0, 32 * 1024, defaults.maxConnections(),
                defaults.maxConnectionsPerTorrent(), dir.resolve("downloads")));
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"), throttled);
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher"));
             Blocklist blocklist = new Blocklist(List.of(list.toString()), Duration.ZERO, new BlocklistParser())) {
            Await.until("the first list loaded", WAIT, () -> blocklist.status().ipv4Ranges() == 1);
            leecher.engine.setBlocklist(blocklist);
            seeder.add(torrent, dir.resolve("seed"));
            seeder.await(1, EngineFixture.seeding(), WAIT);
            int id = leecher.add(torrent, dir.resolve("leech"), seeder.address()).id();
            Await.until("the leecher downloads from the seeder", WAIT,
                    () -> leecher.engine.status(Integer.toString(id)).verifiedBytes() > 0
                            && leecher.engine.peers(Integer.toString(id)).size() == 1);

            Files.writeString(list, "elsewhere:10.9.9.0-10.9.9.255\nthe seeder:127.0.0.1-127.0.0.1\n");
            blocklist.reload();
            Await.until("the connection to the seeder closed", WAIT,
                    () -> leecher.engine.peers(Integer.toString(id)).isEmpty());
            assertTrue(blocklist.status().refused() >= 1, blocklist.status().toString());
            long verified = leecher.engine.status(Integer.toString(id)).verifiedBytes();
            assertTrue(verified < 2 << 20, "it was closed mid-download: " + verified);

            // the seeder's candidates and dials are refused from now on: no connection comes back
            Thread.sleep(3000);
            assertEquals(List.of(), leecher.engine.peers(Integer.toString(id)));
            assertEquals(verified, leecher.engine.status(Integer.toString(id)).verifiedBytes());
        }
    }
}
