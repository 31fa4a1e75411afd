package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Magnet links between two engines on 127.0.0.1: metadata over ut_metadata, then the data. */
@Unit
class MagnetTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private byte[] seed(EngineFixture seeder) throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "pack", 32 * 1024, 11, 300_000, 200_000, 150_000);
        seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
        return torrent;
    }

    private static TorrentStatus addMagnet(EngineFixture engine, String link, Path saveDirectory) throws TorrentException {
        return engine.engine.add(AddTorrent.magnet(link, saveDirectory, false, List.of()));
    }

    @Test
    @Timeout(120)
    void aMagnetLinkFetchesItsMetadataFromAPeerThenDownloadsTheSelectedFiles() throws Exception {
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"))) {
            Metainfo metainfo = new MetainfoParser().parse(seed(seeder));
            Path leecherState = dir.resolve("leecher-state");
            String link = "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex() + "&dn=The+Pack"
                    + "&x.pe=127.0.0.1:" + seeder.address().getPort() + "&so=0,2";
            try (EngineFixture leecher = new EngineFixture(leecherState)) {
                TorrentStatus added = addMagnet(leecher, link, dir.resolve("leech"));
                assertEquals(1, added.id());
                assertEquals(metainfo.infoHash(), added.infoHash());
                assertEquals("The Pack", added.name(), "the link's dn until the metadata arrives");
                assertEquals(TorrentState.FETCHING_METADATA, added.state());
                assertEquals(0, added.totalBytes());
                assertEquals(List.of(), leecher.engine.files("1"));
                TorrentException noFiles = assertThrows(TorrentException.class,
                        () -> leecher.engine.setFilePriority("1", List.of(0), FilePriority.HIGH));
                assertTrue(noFiles.getMessage().contains("still fetching its metadata"), noFiles.getMessage());
                TorrentException duplicate = assertThrows(TorrentException.class, () -> addMagnet(leecher, link, dir));
                assertTrue(duplicate.getMessage().contains("already managed as id 1"), duplicate.getMessage());

                TorrentStatus done = leecher.await(1, EngineFixture.seeding(), WAIT);
                assertEquals("pack", done.name());
                assertEquals(650_000, done.totalBytes());
                List<String> paths = metainfo.files().stream().map(f -> String.join("/", f.path())).toList();
                assertEquals(List.of("file0.bin", "file2.bin", "sub/file1.bin"), paths, "files in torrent order");
                assertEquals(300_000 + 200_000, done.wantedBytes(), "so=0,2 selects file0.bin and sub/file1.bin");
                List<FileStatus> files = leecher.engine.files("1");
                assertEquals(List.of(FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL),
                        files.stream().map(FileStatus::priority).toList());
                for (String file : List.of("file0.bin", "sub/file1.bin")) {
                    assertEquals(-1, Files.mismatch(dir.resolve("seed/pack").resolve(file), dir.resolve("leech/pack").resolve(file)));
                }
                assertFalse(Files.exists(dir.resolve("leech/pack/file2.bin")), "a skipped file is not created");
            }
            try (EngineFixture restarted = new EngineFixture(leecherState)) {
                TorrentStatus resumed = restarted.engine.status("1");
                assertEquals("pack", resumed.name(), "the record holds the fetched metadata");
                assertTrue(resumed.state() != TorrentState.FETCHING_METADATA, resumed.toString());
                restarted.await(1, EngineFixture.seeding(), WAIT);
            }
        }
    }

    @Test
    @Timeout(120)
    void aRestartWhileFetchingResumesFetching() throws Exception {
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"))) {
            Metainfo metainfo = new MetainfoParser().parse(seed(seeder));
            String link = "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex();
            Path leecherState = dir.resolve("leecher-state");
            try (EngineFixture leecher = new EngineFixture(leecherState)) {
                assertEquals(metainfo.infoHash().toHex(), addMagnet(leecher, link, dir.resolve("leech")).name(),
                        "without dn the hex stands for the name");
            }
            try (EngineFixture restarted = new EngineFixture(leecherState)) {
                TorrentStatus fetching = restarted.engine.status(metainfo.infoHash().toHex().substring(0, 8));
                assertEquals(1, fetching.id());
                assertEquals(TorrentState.FETCHING_METADATA, fetching.state());
                restarted.engine.connect("1", seeder.address());
                restarted.await(1, EngineFixture.seeding(), WAIT);
                TestData.assertSameTree(dir.resolve("seed/pack"), dir.resolve("leech/pack"));
            }
        }
    }

    @Test
    @Timeout(120)
    void aPeerForgingTheMetadataIsDroppedAndPenalisedAndAnHonestOneServes() throws Exception {
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher-state"))) {
            Metainfo metainfo = new MetainfoParser().parse(seed(seeder));
            try (HostileMetadataPeer liar = new HostileMetadataPeer(metainfo.infoHash(), metainfo.info(), HostileMetadataPeer.Lie.FORGED)) {
                String link = "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex() + "&x.pe=127.0.0.2:" + liar.address().getPort();
                addMagnet(leecher, link, dir.resolve("leech"));
                awaitHungUp(liar);
                assertTrue(liar.requests.get() > 0, "the liar was asked before it was dropped");
                assertEquals(TorrentState.FETCHING_METADATA, leecher.engine.status("1").state());

                leecher.engine.connect("1", seeder.address());
                leecher.await(1, EngineFixture.seeding(), WAIT);
                TestData.assertSameTree(dir.resolve("seed/pack"), dir.resolve("leech/pack"));
            }
        }
    }

    @Test
    @Timeout(60)
    void metadataIsServedOnceKnownRejectedBeforeAndGarbageCostsTheConnection() throws Exception {
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"));
             EngineFixture fetching = new EngineFixture(dir.resolve("fetching-state"))) {
            Metainfo metainfo = new MetainfoParser().parse(seed(seeder));
            try (AskingMetadataPeer asking = new AskingMetadataPeer(metainfo.infoHash(), 1)) {
                seeder.engine.connect("1", asking.address());
                assertEquals(java.util.Optional.of((long) metainfo.info().length), asking.announcedSize.get(10, TimeUnit.SECONDS));
                awaitHungUp(asking); // after the ut_metadata message that is not bencode
                assertEquals(2, asking.answers.size(), asking.answers.toString());
                MetadataMessage.Data data = (MetadataMessage.Data) asking.answers.get(0);
                assertEquals(0, data.piece());
                assertEquals(metainfo.info().length, data.totalSize());
                assertArrayEquals(metainfo.info(), data.data(), "the whole info dictionary fits in piece 0");
                assertEquals(new MetadataMessage.Reject(1), asking.answers.get(1), "piece 1 is out of range");
            }
            addMagnet(fetching, "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex(), dir.resolve("leech"));
            try (AskingMetadataPeer asking = new AskingMetadataPeer(metainfo.infoHash(), 1)) {
                fetching.engine.connect("1", asking.address());
                assertEquals(java.util.Optional.empty(), asking.announcedSize.get(10, TimeUnit.SECONDS),
                        "no metadata_size while we do not know it");
                awaitHungUp(asking); // after the ut_metadata message that is not bencode
                assertEquals(List.of(new MetadataMessage.Reject(0), new MetadataMessage.Reject(1)), asking.answers);
            }
        }
    }

    /** Waits until the engine hangs up on the peer (once). */
    private static void awaitHungUp(ScriptedPeer.Listening peer) throws Exception {
        Await.until("the engine hanging up on the peer", Duration.ofSeconds(10), () -> peer.closedByRemote.get() > 0);
        assertEquals(1, peer.closedByRemote.get(), "the engine hung up on the peer");
    }

    @Test
    void aMalformedMagnetLinkIsRefusedWithItsReason() throws Exception {
        try (EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            TorrentException e = assertThrows(TorrentException.class,
                    () -> addMagnet(engine, "magnet:?xt=urn:btih:1234&dn=x", dir));
            assertTrue(e.getMessage().startsWith("not a valid magnet link: bad xt"), e.getMessage());
            assertEquals(List.of(), engine.engine.list());
        }
    }
}
