package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.webseed.TestWebServer;
import io.graytorrent.core.internal.webseed.TestWebServer.Behaviour;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torrents with web seeds and no peer, against a server on 127.0.0.1: single- and multi-file
 * torrents complete from the seeds alone; a seed missing a file, one that is busy, one serving
 * corrupt bytes, each alongside an honest one, cost the download nothing but time.
 */
@Timeout(60)
@Unit
class WebSeedTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int PIECE = 32 * 1024;
    /** File sizes on piece boundaries, so that a file's pieces hold none of another's bytes. */
    private static final Map<String, Integer> FILES = Map.of("a.bin", 2 * PIECE, "sub/b.bin", 3 * PIECE, "c.bin", 40_000);

    @TempDir
    Path dir;
    private TestWebServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestWebServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** Writes the files under {@code dir/seed/multi} and serves them under each prefix, as the behaviours say. */
    private Path multiFile(Map<String, Map<String, Behaviour>> servedAs) throws Exception {
        Path root = dir.resolve("seed/multi");
        Random random = new Random(20);
        for (var file : FILES.entrySet()) {
            byte[] bytes = new byte[file.getValue()];
            random.nextBytes(bytes);
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, bytes);
            for (var prefix : servedAs.entrySet()) {
                server.serve(prefix.getKey() + "/multi/" + file.getKey(), bytes,
                        prefix.getValue().getOrDefault(file.getKey(), Behaviour.HONEST));
            }
        }
        return root;
    }

    private TorrentStatus download(byte[] torrent, EngineFixture fixture) throws Exception {
        int id = fixture.add(torrent, dir.resolve("down")).id();
        return fixture.await(id, EngineFixture.seeding(), WAIT);
    }

    /** Writes {@code size} random bytes to {@code dir/seed/name} and serves them honestly at {@code path}. */
    private Path singleFile(String name, int size, String path) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Path file = dir.resolve("seed").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        server.serve(path, data, Behaviour.HONEST);
        return file;
    }

    @Test
    void aSingleFileTorrentCompletesFromItsWebSeedAlone() throws Exception {
        Path file = singleFile("single.bin", 300_000, "/files/single.bin");
        byte[] torrent = TorrentCreator.forPath(file).pieceLength(PIECE).webSeed(server.url("/files/")).create();
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            download(torrent, fixture);
            assertEquals(-1, Files.mismatch(file, dir.resolve("down/single.bin")));
            WebSeedStatus seed = fixture.engine.webSeeds("1").get(0);
            assertEquals(server.url("/files/"), seed.url());
            assertEquals(300_000, seed.downloaded());
            assertTrue(server.requests() <= 2, "300 KB in one or two runs, not per block: " + server.requests());
        }
    }

    @Test
    void aMagnetLinksWebSeedIsUsedOnceTheMetadataIsKnown() throws Exception {
        Path file = singleFile("linked.bin", 600_000, "/linked.bin");
        byte[] torrent = TorrentCreator.forPath(file).pieceLength(PIECE).create();
        // the peer gives the metadata and, at 16 KiB/s, little else: the web seed does the rest
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"),
                TestSettings.with(dir.resolve("unused"), 5, 0, 16 * 1024, Duration.ofSeconds(30)));
             EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            TorrentStatus seeding = seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String link = "magnet:?xt=urn:btih:" + seeding.infoHash().toHex() + "&x.pe=" + "127.0.0.1:"
                    + seeder.address().getPort() + "&ws=" + server.url("/linked.bin");
            int id = fixture.engine.add(AddTorrent.magnet(link, dir.resolve("down"), false, List.of())).id();
            fixture.await(id, EngineFixture.seeding(), WAIT);
            assertEquals(-1, Files.mismatch(file, dir.resolve("down/linked.bin")));
            assertTrue(fixture.engine.webSeeds(Integer.toString(id)).get(0).downloaded() > 300_000,
                    fixture.engine.webSeeds(Integer.toString(id)).toString());
        }
    }

    @Test
    void aSeedMissingAFileLeavesItToAnotherSeed() throws Exception {
        Path root = multiFile(Map.of("/partial", Map.of("sub/b.bin", Behaviour.NOT_FOUND), "/busy",
                Map.of("a.bin", Behaviour.BUSY_ONCE)));
        byte[] torrent = TorrentCreator.forPath(root).pieceLength(PIECE)
                .webSeed(server.url("/partial")).webSeed(server.url("/busy/")).create();
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            download(torrent, fixture);
            TestData.assertSameTree(root, dir.resolve("down/multi"));
            List<WebSeedStatus> seeds = fixture.engine.webSeeds("1");
            assertTrue(seeds.get(0).lastError().orElseThrow().contains("sub/b.bin: HTTP 404"), seeds.toString());
        }
    }

    @Test
    void aHybridTorrentsPaddingIsNotAskedOfTheServer() throws Exception {
        Path root = multiFile(Map.of("/ws", Map.of()));
        byte[] torrent = TorrentCreator.forPath(root).pieceLength(PIECE).format(TorrentCreator.Format.HYBRID)
                .webSeed(server.url("/ws/")).create();
        assertTrue(new MetainfoParser().parse(torrent).files().stream().anyMatch(FileEntry::isPadding));
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            download(torrent, fixture);
            TestData.assertSameTree(root, dir.resolve("down/multi"));
            assertTrue(fixture.engine.webSeeds("1").get(0).lastError().isEmpty(), "no request for a pad file");
        }
    }

    @Test
    void aSeedServingCorruptBytesIsDroppedAndTheDownloadCompletesFromAnHonestOne() throws Exception {
        Path root = multiFile(Map.of("/bad", Map.of("a.bin", Behaviour.CORRUPT, "sub/b.bin", Behaviour.CORRUPT,
                "c.bin", Behaviour.CORRUPT), "/good", Map.of()));
        byte[] torrent = TorrentCreator.forPath(root).pieceLength(PIECE)
                .webSeed(server.url("/bad")).webSeed(server.url("/good")).create();
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            download(torrent, fixture);
            TestData.assertSameTree(root, dir.resolve("down/multi"));
            WebSeedStatus bad = fixture.engine.webSeeds("1").get(0);
            assertEquals("dropped", bad.state(), bad.toString());
            assertTrue(bad.lastError().orElseThrow().contains("failed its hash check"), bad.toString());
        }
    }
}
