package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.state.StateStore;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /**
     * A hybrid's link names both hashes; the dictionary that arrives must match both, then v1 pieces verify it. The
     * piece layers come over the connection we made, so it must have become a v2 one: the seeder knows no address of
     * ours (no tracker, DHT or LSD) and cannot dial us. In plaintext we dial under the v1 hash with the v2 bit set and
     * libtorrent answers under the truncated v2 hash (BEP 52 upgrade). Encrypted, libtorrent 2.0.8 chooses the torrent
     * by the MSE stream key and answers a v1 key under v1 whatever the bit says, so we key it with the v2 hash; the
     * seeder forces RC4 then, so no plaintext connection could have brought the layers.
     */
    @ParameterizedTest
    @EnumSource(value = EncryptionPolicy.class, names = {"DISABLED", "PREFERRED", "REQUIRED"})
    @Timeout(180)
    void weDownloadAHybridFromALibtorrentSeederGivenALinkWithBothHashes(EncryptionPolicy encryption) throws Exception {
        torrent = libtorrentTorrent("hybrid");
        String v1 = new MetainfoParser().read(Files.readAllBytes(torrent)).v1().orElseThrow().infoHash().toHex();
        StateStore records = new StateStore(dir.resolve("state"));
        String[] seeder = encryption == EncryptionPolicy.DISABLED ? new String[0] : new String[] {"--encryption", "rc4"};
        downloadFromALibtorrentSeeder(link() + "&xt=urn:btih:" + v1, encryption, () -> keptWithLayers(records) != null,
                seeder);
        Metainfo kept = keptWithLayers(records);
        assertNotNull(kept, "the record's .torrent holds every piece layer, learnt from the seeder we dialled");
        for (int file = 0; file < v2.files().size(); file++) {
            assertArrayEquals(v2.files().get(file).pieceLayer(), kept.v2().orElseThrow().files().get(file).pieceLayer(),
                    "file " + file);
        }
    }

    /** The record's .torrent if it holds every piece layer (it parses strictly), else null. */
    private static Metainfo keptWithLayers(StateStore records) throws IOException {
        try {
            return new MetainfoParser().parse(records.loadAll().get(0).torrentFile());
        } catch (MetainfoException e) {
            return null;
        }
    }

    private void downloadFromALibtorrentSeeder(String link) throws Exception {
        downloadFromALibtorrentSeeder(link, PeerWireSettings.defaults().encryption(), () -> true);
    }

    /**
     * Downloads from a libtorrent seeder, started with {@code seederOptions}, given {@code link}, our connections
     * encrypted as {@code encryption} says, and waits for {@code also} before both stop.
     */
    private void downloadFromALibtorrentSeeder(String link, EncryptionPolicy encryption, Await.Condition also,
            String... seederOptions) throws Exception {
        Path state = dir.resolve("state");
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrent, dir.resolve("seed"), dir.resolve("lt.log"),
                seederOptions);
             EngineFixture engine = new EngineFixture(state, EngineSettings.defaults(state.resolve("downloads")),
                     new TrackerClients(), PeerWireSettings.defaults().listeningOn("127.0.0.1", 0).withEncryption(encryption))) {
            TorrentStatus added = engine.engine.add(AddTorrent.magnet(link + "&x.pe=127.0.0.1:" + seeder.port,
                    dir.resolve("leech"), false, List.of()));
            assertEquals(TorrentState.FETCHING_METADATA, added.state());
            TorrentStatus done = engine.await(added.id(), EngineFixture.seeding(), WAIT);
            assertEquals(Arrays.stream(SIZES).sum(), done.verifiedBytes());
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
            Await.until("the torrent done with its peers", WAIT, also);
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
