package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Global limits changed while torrents run, kept across a restart; the piece map of a running swarm. */
@Timeout(60)
@Unit
class SessionSettingsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PIECE = 32 * 1024;

    @TempDir
    Path dir;

    @Test
    void aRateLimitSetWhileDownloadingHoldsAndLiftingItLetsTheDownloadFinish() throws Exception {
        byte[] data = TestData.multiFileTorrent(dir.resolve("seed"), "limited", PIECE, 3, 2_000_000);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher"))) {
            seeder.await(seeder.add(data, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            PieceMap seeded = seeder.engine.pieces("1");
            assertEquals(seeded.pieceCount(), seeded.verified().cardinality(), "a seed has every piece verified");
            assertArrayEquals(new int[seeded.pieceCount()], seeded.availability(), "running, no peer connected yet");

            SessionSettings unlimited = leecher.engine.sessionSettings();
            SessionSettings slow = new SessionSettings(256 * 1024, 0, unlimited.maxConnections(),
                    unlimited.maxConnectionsPerTorrent(), unlimited.defaultSaveDirectory());
            assertEquals(slow, leecher.engine.updateSessionSettings(slow));
            int id = leecher.engine.add(new AddTorrent(data, dir.resolve("leech"), true, List.of(seeder.address()))).id();
            PieceMap paused = leecher.engine.pieces(Integer.toString(id));
            assertEquals(0, paused.verified().cardinality());
            assertEquals(0, paused.availability().length, "no availability while the torrent does not run");

            leecher.engine.start(Integer.toString(id));
            TorrentStatus partial = leecher.await(id, s -> s.verifiedBytes() > 0 && s.peers() == 1, WAIT);
            Thread.sleep(2_000);
            TorrentStatus later = leecher.engine.status(Integer.toString(id));
            assertEquals(TorrentState.DOWNLOADING, later.state(), "2 MB at 256 KiB/s take about 8 s: " + later);
            PieceMap downloading = leecher.engine.pieces(Integer.toString(id));
            assertTrue(downloading.verified().cardinality() < downloading.pieceCount(), "still missing pieces");
            assertTrue(Arrays.stream(downloading.availability()).allMatch(count -> count == 1),
                    "the one connected seed has every piece: " + Arrays.toString(downloading.availability()));
            System.out.printf("at 256 KiB/s: %d bytes verified after 2 s more, from %d%n", later.verifiedBytes(),
                    partial.verifiedBytes());

            leecher.engine.updateSessionSettings(unlimited);
            leecher.await(id, EngineFixture.seeding(), WAIT);
        }
    }

    @Test
    void aConfigurationChangedWhileDownloadingKeepsTheConnectionAndAppliesAtOnce() throws Exception {
        byte[] data = TestData.multiFileTorrent(dir.resolve("seed"), "reconfigured", PIECE, 3, 2_000_000);
        Path downloads = dir.resolve("leech");
        Duration checkpoint = EngineSettings.defaults(downloads).checkpointInterval();
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher"),
                     TestSettings.with(downloads, 5, 64 * 1024, 0, checkpoint))) {
            seeder.await(seeder.add(data, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            int id = leecher.add(data, downloads, seeder.address()).id();
            leecher.await(id, s -> s.verifiedBytes() > 0 && s.peers() == 1, WAIT);
            PeerStatus before = Await.value("the leecher's connection at the seeder", WAIT,
                    () -> seeder.engine.peers("1"), peers -> peers.size() == 1).get(0);

            leecher.engine.reconfigure(TestSettings.with(downloads, 1, 32 * 1024, 0, checkpoint));
            PeerStatus after = Await.value("more data over the same connection", WAIT,
                    () -> seeder.engine.peers("1"), peers -> peers.size() == 1 && peers.get(0).uploaded() > before.uploaded())
                    .get(0);
            assertEquals(before.address(), after.address(), "the same connection (the leecher's port) before and after");
            assertEquals(TorrentState.DOWNLOADING, leecher.engine.status(Integer.toString(id)).state(),
                    "fewer active slots stop no running torrent");

            leecher.engine.reconfigure(TestSettings.with(downloads, 5, 0, 0, checkpoint));
            long lifted = System.nanoTime();
            leecher.await(id, EngineFixture.seeding(), WAIT); // about 60 s at 32 KiB/s
            System.out.printf("the rest of 2 MB after the limit was lifted: %.1f s%n", (System.nanoTime() - lifted) / 1e9);
        }
    }

    @Test
    void settingsAreKeptForTheNextStartUntilTheConfigurationChangesTheirKey() throws Exception {
        Path state = dir.resolve("state");
        SessionSettings changed = new SessionSettings(1_000_000, 500_000, 20, 5, dir.resolve("elsewhere"));
        try (EngineFixture fixture = new EngineFixture(state)) {
            fixture.engine.updateSessionSettings(changed);
            assertEquals(changed, fixture.engine.sessionSettings());
        }
        try (EngineFixture restarted = new EngineFixture(state)) {
            assertEquals(changed, restarted.engine.sessionSettings());
            byte[] data = TestData.multiFileTorrent(dir.resolve("seed"), "placed", PIECE, 4, 10_000);
            TorrentStatus added = restarted.engine.add(new AddTorrent(data, null, true, List.of()));
            assertEquals(dir.resolve("elsewhere/placed"), added.savePath(), "the saved default save directory is used");

            EngineSettings edited = TestSettings.with(state.resolve("downloads"), 5, 0, 0, Duration.ofSeconds(30));
            restarted.engine.reconfigure(edited.with(new SessionSettings(2_000_000, 0, 200, 50,
                    state.resolve("downloads").toAbsolutePath())));
            assertEquals(new SessionSettings(2_000_000, 500_000, 20, 5, dir.resolve("elsewhere")),
                    restarted.engine.sessionSettings(), "the configuration's later change of one key wins for that key");
        }
    }

    @Test
    void aDamagedSettingsFileIsIgnored() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("session-settings"), "maxConnections=-3\n");
        try (EngineFixture fixture = new EngineFixture(state)) {
            assertEquals(EngineSettings.defaults(state.resolve("downloads")).session(), fixture.engine.sessionSettings());
        }
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        Path save = dir.toAbsolutePath();
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(-1, 0, 10, 10, save));
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(0, SessionSettings.MAX_RATE + 1, 10, 10, save));
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(0, 0, 0, 10, save));
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(0, 0, 10, 70_000, save));
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(0, 0, 10, 10, Path.of("relative")));
    }
}
