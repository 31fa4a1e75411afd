package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * v2-only magnet links ({@code xt=urn:btmh:1220…} and nothing else) against libtorrent 2.0 on
 * 127.0.0.1, both directions. The info dictionary comes by BEP 9 (checked by SHA-256 against the
 * btmh hash) and has no piece layers: they come by BEP 52 hash requests, each answer proved against
 * its file's pieces root. Libtorrent makes the v2 torrent: files that need piece layers (several
 * pieces, not piece multiples; in tree order file0.bin, file2.bin, sub/file1.bin, sub/file3.bin) and
 * a one-byte file between them. The last file ends mid-piece and mid-block: libtorrent 2.0.8 pads
 * it to a whole piece and asks us for its last data block in full.
 */
@Interop
class V2MagnetInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MIB = 1 << 20;
    private static final int PIECE = 64 * 1024;
    private static final long[] SIZES = {5 * MIB + 12_345, 3 * MIB - 777, 1, 2 * PIECE + 1234};

    @TempDir
    Path dir;
    private Path torrent;
    private MetainfoV2 v2;

    @BeforeEach
    void libtorrentMakesAV2Torrent() throws Exception {
        torrent = libtorrentTorrent("v2");
    }

    /** Libtorrent makes a {@code mode} ("v2" or "hybrid") torrent of the files. */
    private Path libtorrentTorrent(String mode) throws Exception {
        if (Files.notExists(dir.resolve("seed/album"))) {
            TestData.multiFileTorrent(dir.resolve("seed"), "album", PIECE, 21, SIZES);
        }
        Path made = dir.resolve(mode + ".torrent");
        Libtorrent.run(Duration.ofSeconds(60), "create", dir.resolve("seed/album").toString(), made.toString(), mode,
                Integer.toString(PIECE));
        v2 = new MetainfoParser().read(Files.readAllBytes(made)).v2().orElseThrow();
        return made;
    }

    private String link() {
        return "magnet:?xt=urn:btmh:1220" + v2.infoHash().toHex() + "&dn=album";
    }

    @Test
    @Timeout(180)
    void weFetchMetadataAndPieceLayersFromALibtorrentSeederGivenOnlyABtmhLink() throws Exception {
        downloadFromALibtorrentSeeder(link());
    }

    /** A hybrid's link names both hashes; the dictionary that arrives must match both, then v1 pieces verify it. */
    @Test
    @Timeout(180)
    void weDownloadAHybridFromALibtorrentSeederGivenALinkWithBothHashes() throws Exception {
        torrent = libtorrentTorrent("hybrid");
        String v1 = new MetainfoParser().read(Files.readAllBytes(torrent)).v1().orElseThrow().infoHash().toHex();
        downloadFromALibtorrentSeeder(link() + "&xt=urn:btih:" + v1);
    }

    private void downloadFromALibtorrentSeeder(String link) throws Exception {
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrent, dir.resolve("seed"), dir.resolve("lt.log"));
             EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            TorrentStatus added = engine.engine.add(AddTorrent.magnet(link + "&x.pe=127.0.0.1:" + seeder.port,
                    dir.resolve("leech"), false, List.of()));
            assertEquals(TorrentState.FETCHING_METADATA, added.state());
            TorrentStatus done = engine.await(added.id(), EngineFixture.seeding(), WAIT);
            assertEquals(Arrays.stream(SIZES).sum(), done.verifiedBytes());
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
        }
    }

    @Test
    @Timeout(180)
    void aLibtorrentLeecherWithOnlyABtmhLinkGetsMetadataPieceLayersAndDataFromUs() throws Exception {
        try (EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            engine.await(engine.add(Files.readAllBytes(torrent), dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String link = link() + "&x.pe=127.0.0.1:" + engine.address().getPort();
            try (LibtorrentPeer leecher = new LibtorrentPeer("magnet", link, dir.resolve("leech"), dir.resolve("lt.log"))) {
                String status = Await.value("libtorrent seeding", WAIT, leecher::status, s -> s.contains("seeding=True"));
                assertTrue(status.contains("seeding=True"), "libtorrent got metadata, piece layers and data: " + status);
            }
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
        }
    }
}
