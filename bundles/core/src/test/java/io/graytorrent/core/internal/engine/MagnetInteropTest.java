package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Opentracker;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LibtorrentPeer;
import io.graytorrent.tracker.http.internal.HttpTrackerClient;
import io.graytorrent.tracker.http.internal.HttpTrackerConfiguration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Magnet links against real libtorrent on 127.0.0.1: we fetch the metadata from a libtorrent seeder
 * (found through the link's x.pe, or through opentracker from the link's tr) and download the data,
 * over the connection the metadata came by (libtorrent counts the connections it accepts);
 * a libtorrent leecher holding only a magnet link gets the metadata and the data from us.
 */
@Interop
class MagnetInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    private Metainfo metainfo;

    @BeforeEach
    void createData() throws Exception {
        TestData.multiFileTorrent(dir.resolve("seed"), "magnetic", 64 * 1024, 17, 3 * MIB + 5, 2 * MIB, 1234);
    }

    /** The .torrent of the seed data, announcing to {@code tracker} if given. */
    private Path torrentFile(String tracker) throws Exception {
        TorrentCreator creator = TorrentCreator.forPath(dir.resolve("seed/magnetic")).pieceLength(64 * 1024);
        byte[] torrent = (tracker == null ? creator : creator.tracker(tracker)).create();
        metainfo = new MetainfoParser().parse(torrent);
        return Files.write(dir.resolve("magnetic.torrent"), torrent);
    }

    private String link() {
        return "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex() + "&dn=magnetic";
    }

    @Test
    @Timeout(120)
    void weFetchTheMetadataAndThenTheDataFromALibtorrentSeederGivenOnlyXpeOverOneConnection() throws Exception {
        Path torrentFile = torrentFile(null);
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrentFile, dir.resolve("seed"), dir.resolve("lt.log"));
             EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            TorrentStatus added = engine.engine.add(AddTorrent.magnet(link() + "&x.pe=127.0.0.1:" + seeder.port,
                    dir.resolve("leech"), false, List.of()));
            assertEquals(TorrentState.FETCHING_METADATA, added.state());
            downloaded(engine, added.id());
            assertEquals(1, seeder.accepted(), "the connection that brought the metadata brought the data too");
        }
    }

    @Test
    @Timeout(120)
    void weFetchTheMetadataFromALibtorrentSeederFoundThroughOpentracker() throws Exception {
        Path probe = torrentFile(null); // the infohash does not depend on the announce URL
        try (Opentracker tracker = new Opentracker(List.of(metainfo.infoHash().toHex()))) {
            Files.delete(probe);
            Path torrentFile = torrentFile(tracker.httpUrl());
            TrackerClients clients = new TrackerClients();
            clients.add(new HttpTrackerClient(OpentrackerInteropTest.defaults(HttpTrackerConfiguration.class)), List.of("http"));
            try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrentFile, dir.resolve("seed"), dir.resolve("lt.log"));
                 EngineFixture engine = new EngineFixture(dir.resolve("state"),
                         EngineSettings.defaults(dir.resolve("unused")), clients)) {
                String link = link() + "&tr=" + URLEncoder.encode(tracker.httpUrl(), StandardCharsets.UTF_8);
                int id = engine.engine.add(AddTorrent.magnet(link, dir.resolve("leech"), false, List.of())).id();
                downloaded(engine, id);
                assertEquals(tracker.httpUrl(), engine.engine.trackers(Integer.toString(id)).get(0).url(),
                        "the session announces to the link's tracker too");
            }
        }
    }

    @Test
    @Timeout(120)
    void aLibtorrentLeecherWithOnlyAMagnetLinkGetsMetadataAndDataFromUs() throws Exception {
        Path torrentFile = torrentFile(null);
        try (EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            engine.await(engine.add(Files.readAllBytes(torrentFile), dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String link = link() + "&x.pe=127.0.0.1:" + engine.address().getPort();
            try (LibtorrentPeer leecher = new LibtorrentPeer("magnet", link, dir.resolve("leech"), dir.resolve("lt.log"))) {
                String status = Await.value("libtorrent seeding", WAIT, leecher::status, s -> s.contains("seeding=True"));
                assertTrue(status.contains("seeding=True"), "libtorrent got metadata and data: " + status);
            }
            TestData.assertSameTree(dir.resolve("seed/magnetic"), dir.resolve("leech/magnetic"));
        }
    }

    private void downloaded(EngineFixture engine, int id) throws Exception {
        TorrentStatus done = engine.await(id, EngineFixture.seeding(), WAIT);
        assertEquals("magnetic", done.name());
        assertEquals(metainfo.totalLength(), done.verifiedBytes());
        TestData.assertSameTree(dir.resolve("seed/magnetic"), dir.resolve("leech/magnetic"));
    }
}
