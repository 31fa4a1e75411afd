package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine's service behaviour: references, lifecycle, queueing, file priorities, rate limits. */
@Timeout(60)
@Unit
class EngineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private byte[] torrent(String name, long seed, long... sizes) throws Exception {
        return TestData.multiFileTorrent(dir.resolve("seed"), name, 32 * 1024, seed, sizes);
    }

    private static EngineSettings limits(Path dir, int maxDownloads, long torrentDownload, long globalUpload) {
        return TestSettings.with(dir.resolve("downloads"), maxDownloads, torrentDownload, globalUpload,
                Duration.ofSeconds(30));
    }

    @Test
    void torrentsAreNamedByIdInfohashOrUniquePrefix() throws Exception {
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            Engine engine = fixture.engine;
            TorrentStatus a = engine.add(new AddTorrent(torrent("a", 1, 1000), dir.resolve("x"), true, List.of()));
            TorrentStatus b = engine.add(new AddTorrent(torrent("b", 2, 1000), dir.resolve("x"), true, List.of()));
            String hex = a.infoHash().toHex();
            assertEquals(a.id(), engine.status("1").id());
            assertEquals(a.id(), engine.status(hex.toUpperCase()).id());
            assertEquals(b.id(), engine.status(b.infoHash().toHex().substring(0, 8)).id());
            assertThrows(TorrentException.class, () -> engine.status("3"));
            assertThrows(TorrentException.class, () -> engine.status("not-a-ref"));
            assertThrows(TorrentException.class, () -> engine.status("abc"), "prefixes need 4 digits");
            TorrentException bad = assertThrows(TorrentException.class,
                    () -> engine.add(new AddTorrent("d4:infoi1ee".getBytes(), dir, false, List.of())));
            assertTrue(bad.getMessage().startsWith("not a valid .torrent"), bad.getMessage());
            assertThrows(TorrentException.class, () -> engine.setFilePriority("1", List.of(7), FilePriority.SKIP));
            assertEquals(List.of(1, 2), engine.list().stream().map(TorrentStatus::id).toList());
        }
    }

    @Test
    void pausedTorrentsStayStoppedAcrossARestartAndTheQueueHoldsBackTheSecondDownload() throws Exception {
        byte[] first = torrent("first", 3, 50_000);
        byte[] second = torrent("second", 4, 50_000);
        byte[] paused = torrent("paused", 5, 50_000);
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"), limits(dir, 1, 0, 0))) {
            fixture.add(first, dir.resolve("down"));
            fixture.add(second, dir.resolve("down"));
            fixture.engine.add(new AddTorrent(paused, dir.resolve("down"), true, List.of()));
            fixture.await(3, s -> s.state() == TorrentState.STOPPED, WAIT);
            // both open at once; whichever is checked first takes the one download slot
            fixture.await(1, s -> s.state() == TorrentState.DOWNLOADING || s.state() == TorrentState.QUEUED, WAIT);
            fixture.await(2, s -> s.state() == TorrentState.DOWNLOADING || s.state() == TorrentState.QUEUED, WAIT);
            int running = fixture.engine.status("1").state() == TorrentState.DOWNLOADING ? 1 : 2;
            int waiting = 3 - running;
            assertEquals(TorrentState.QUEUED, fixture.engine.status(Integer.toString(waiting)).state());
            fixture.engine.stop(Integer.toString(running));
            fixture.await(waiting, s -> s.state() == TorrentState.DOWNLOADING, WAIT);
            fixture.await(running, s -> s.state() == TorrentState.STOPPED, WAIT);
            fixture.engine.start(Integer.toString(running));
            fixture.await(running, s -> s.state() == TorrentState.QUEUED, WAIT);
        }
        try (EngineFixture restarted = new EngineFixture(dir.resolve("state"), limits(dir, 1, 0, 0))) {
            restarted.await(3, s -> s.state() == TorrentState.STOPPED, WAIT);
            TorrentStatus one = restarted.await(1, s -> s.state() != TorrentState.CHECKING, WAIT);
            TorrentStatus two = restarted.await(2, s -> s.state() != TorrentState.CHECKING, WAIT);
            assertEquals(1, List.of(one.state(), two.state()).stream().filter(TorrentState.DOWNLOADING::equals).count(),
                    "one running download, the other queued: " + one.state() + ", " + two.state());
        }
    }

    @Test
    void aSkippedFileIsNotDownloadedAndTheRestCompletes() throws Exception {
        byte[] data = torrent("partial", 6, 300_000, 200_000, 250_000);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher"))) {
            seeder.await(seeder.add(data, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            int id = leecher.engine.add(new AddTorrent(data, dir.resolve("leech"), true, List.of(seeder.address()))).id();
            int skipped = leecher.engine.files(Integer.toString(id)).stream()
                    .filter(f -> f.path().equals("sub/file1.bin")).findFirst().orElseThrow().index();
            leecher.engine.setFilePriority(Integer.toString(id), List.of(skipped), FilePriority.SKIP);
            leecher.engine.start(Integer.toString(id));
            TorrentStatus done = leecher.await(id, EngineFixture.seeding(), WAIT);
            assertEquals(550_000, done.wantedBytes(), "all but the 200000-byte file");
            assertEquals(750_000, done.totalBytes());
            List<FileStatus> files = leecher.engine.files(Integer.toString(id));
            assertEquals(FilePriority.SKIP, files.get(skipped).priority());
            // the storage created the (then wanted) file at add; skipped later, it only gets its edge pieces' bytes
            assertTrue(files.get(skipped).verifiedBytes() < 200_000, files.toString());
            Path skippedFile = dir.resolve("leech/partial/sub/file1.bin");
            assertTrue(!Files.exists(skippedFile)
                    || Files.mismatch(dir.resolve("seed/partial/sub/file1.bin"), skippedFile) != -1);
            assertEquals(-1, Files.mismatch(dir.resolve("seed/partial/file0.bin"), dir.resolve("leech/partial/file0.bin")));
            assertEquals(-1, Files.mismatch(dir.resolve("seed/partial/file2.bin"), dir.resolve("leech/partial/file2.bin")));
        }
    }

    @Test
    void verifyFindsACorruptedPieceAndRemoveDeletesTheData() throws Exception {
        byte[] data = torrent("checked", 8, 100_000, 70_000);
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            TorrentStatus seeded = fixture.await(fixture.add(data, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            assertEquals(170_000, seeded.verifiedBytes());
            Path file = dir.resolve("seed/checked/file0.bin");
            byte[] bytes = Files.readAllBytes(file);
            bytes[40_000] ^= 1; // piece 1 of 32 KiB pieces
            Files.write(file, bytes);
            fixture.engine.verify("1");
            TorrentStatus checked = fixture.await(1, s -> s.state() == TorrentState.DOWNLOADING, WAIT);
            assertEquals(170_000 - 32 * 1024, checked.verifiedBytes(), "one piece lost its verification");

            fixture.engine.remove("1", true);
            assertThrows(TorrentException.class, () -> fixture.engine.status("1"));
            Await.until("the removed torrent's files deleted", WAIT, () -> Files.notExists(dir.resolve("seed/checked")));
            assertTrue(Files.notExists(dir.resolve("seed/checked")), "the torrent's files and directories are gone");
            assertTrue(Files.exists(dir.resolve("seed")), "the save directory itself stays");
        }
    }

    @Test
    void theTorrentConnectionLimitCapsThePeerSet() throws Exception {
        byte[] data = torrent("capped", 10, 400_000);
        try (EngineFixture first = new EngineFixture(dir.resolve("first"));
             EngineFixture second = new EngineFixture(dir.resolve("second"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher"),
                     TestSettings.withConnectionsPerTorrent(dir.resolve("downloads"), 1))) {
            first.await(first.add(data, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            second.await(second.add(data, dir.resolve("seed2-unused").resolveSibling("seed")).id(),
                    EngineFixture.seeding(), WAIT);
            int id = leecher.add(data, dir.resolve("leech"), first.address(), second.address()).id();
            Await.until("the download from one peer at a time", WAIT, () -> {
                assertTrue(leecher.engine.peers(Integer.toString(id)).size() <= 1, "one peer at most");
                return leecher.engine.status(Integer.toString(id)).state() == TorrentState.SEEDING;
            });
            assertEquals(TorrentState.SEEDING, leecher.engine.status(Integer.toString(id)).state());
        }
    }

    @Test
    void downloadAndUploadLimitsHoldOverATransfer() throws Exception {
        long limit = 1 << 20;
        byte[] data = torrent("limited", 7, 2_500_000, 1_500_000);
        assertLimited("download", data, new EngineFixture(dir.resolve("s1")), limit,
                settings -> limits(dir, 5, limit, 0));
        assertLimited("upload", data, new EngineFixture(dir.resolve("s2"), limits(dir, 5, 0, limit)), limit,
                settings -> settings);
    }

    private void assertLimited(String direction, byte[] data, EngineFixture seeder, long limit,
            java.util.function.UnaryOperator<EngineSettings> leecherSettings) throws Exception {
        Path leechState = dir.resolve("leech-" + direction);
        try (seeder; EngineFixture leecher = new EngineFixture(leechState,
                leecherSettings.apply(EngineSettings.defaults(dir.resolve("downloads"))))) {
            seeder.await(seeder.add(data, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            long start = System.nanoTime();
            leecher.add(data, dir.resolve("leech-" + direction), seeder.address());
            leecher.await(1, EngineFixture.seeding(), WAIT);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s limited to %d KiB/s: 4000000 bytes in %.2f s = %.0f KiB/s%n", direction,
                    limit >> 10, seconds, 4_000_000 / seconds / 1024);
            // one second's burst may pass at once, and the last blocks read before the limit paused the
            // socket need not be paid for before the end: the rest takes at least (size - 2 s of rate) / rate
            double floor = (4_000_000.0 - 2 * limit) / limit;
            assertTrue(seconds >= floor, direction + " limit exceeded: " + seconds + " s < " + floor + " s");
        }
    }
}
