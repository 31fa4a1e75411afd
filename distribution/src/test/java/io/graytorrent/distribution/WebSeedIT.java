package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import io.graytorrent.testkit.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web seeds (BEP 19) against a real nginx on 127.0.0.1: the real {@code gray get} downloads single-
 * and multi-file torrents from a web seed alone and from a web seed beside a libtorrent seeder;
 * libtorrent downloads a torrent made by {@code gray create --web-seed} from the same nginx, and
 * {@code gray get} one made by libtorrent with a web seed; v2-only and hybrid torrents (BEP 52: every file starts a
 * piece, the gap after a file's short last piece is on no HTTP server) download from the web seed alone too.
 */
@Interop
@ExtendWith(LeftoverProcesses.class)
class WebSeedIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("a.bin", "sub dir/b.bin", "sub dir/c.txt");
    private static final int[] SIZES = {5 << 20, 7 << 20, 123_457};

    @TempDir
    Path work;
    private GrayCommand gray;
    private Nginx nginx;

    @BeforeEach
    void serveData() throws Exception {
        gray = new GrayCommand(work.resolve("home"), work);
        Random random = new Random(19);
        for (int i = 0; i < FILES.size(); i++) {
            Path file = work.resolve("www/data").resolve(FILES.get(i));
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[SIZES[i]];
            random.nextBytes(bytes);
            Files.write(file, bytes);
        }
        nginx = new Nginx(work.resolve("www"), work.resolve("nginx"));
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
    }

    private void assertSameData(Path downloaded) throws Exception {
        for (String file : FILES) {
            assertEquals(-1, Files.mismatch(work.resolve("www/data").resolve(file), downloaded.resolve(file)), file);
        }
    }

    private GrayCommand.Result get(String torrent, String... more) throws Exception {
        long started = System.nanoTime();
        String[] args = new String[4 + more.length];
        System.arraycopy(new String[] {"get", torrent, "-d", "out"}, 0, args, 0, 4);
        System.arraycopy(more, 0, args, 4, more.length);
        GrayCommand.Result got = gray.run(args);
        System.out.printf("gray get %s %s: %.2f s, %d requests to nginx%n", torrent, String.join(" ", more),
                (System.nanoTime() - started) / 1e9, nginx.requests());
        assertEquals(0, got.exit(), got.toString());
        return got;
    }

    @Test
    void getDownloadsAMultiFileTorrentFromAWebSeedAlone() throws Exception {
        assertSucceeds(gray.run("create", "www/data", "--piece-size", "256k", "--web-seed", nginx.url("/"),
                "-o", "data.torrent"));
        get("data.torrent");
        assertSameData(work.resolve("out/data"));
        assertTrue(nginx.requests() < 20, "runs of pieces, not a request per piece: " + nginx.requests());
    }

    @Test
    void getDownloadsASingleFileTorrentFromAWebSeedAlone() throws Exception {
        assertSucceeds(gray.run("create", "www/data/a.bin", "--piece-size", "64k", "--web-seed",
                nginx.url("/data/a.bin"), "-o", "a.torrent"));
        get("a.torrent");
        assertEquals(-1, Files.mismatch(work.resolve("www/data/a.bin"), work.resolve("out/a.bin")));
    }

    @Test
    void getDownloadsFromAWebSeedAndALibtorrentSeederTogether() throws Exception {
        assertSucceeds(gray.run("create", "www/data", "--piece-size", "256k", "--web-seed", nginx.url("/"),
                "-o", "data.torrent"));
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("www"), 0)) {
            get("data.torrent", "--peer", seeder.address());
            System.out.println("libtorrent seeder: " + seeder.status());
        }
        assertSameData(work.resolve("out/data"));
        assertTrue(nginx.requests() > 0, "the web seed was used");
    }

    @Test
    void libtorrentDownloadsFromTheWebSeedOfATorrentGrayCreated() throws Exception {
        assertSucceeds(gray.run("create", "www/data", "--piece-size", "256k", "--web-seed", nginx.url("/"),
                "-o", "data.torrent"));
        Path save = Files.createDirectories(work.resolve("libtorrent"));
        try (LibtorrentPeer leecher = new LibtorrentPeer("leech", work.resolve("data.torrent"), save,
                work.resolve("leech.log"))) {
            Await.until("libtorrent seeding from the web seed alone", Duration.ofSeconds(60),
                    () -> leecher.status().contains("seeding=True"));
        }
        assertSameData(save.resolve("data"));
    }

    @Test
    void getDownloadsFromTheWebSeedOfATorrentLibtorrentMade() throws Exception {
        getFromTheWebSeedOfATorrentLibtorrentMade("v1", 262_144);
    }

    private void getFromTheWebSeedOfATorrentLibtorrentMade(String version, int pieceLength) throws Exception {
        JsonNode made = JSON.readTree(Libtorrent.run(Duration.ofSeconds(60), "create",
                work.resolve("www/data").toString(), work.resolve("lt.torrent").toString(), version,
                String.valueOf(pieceLength), nginx.url("/")));
        assertEquals(nginx.url("/"), made.get("web_seeds").get(0).asText());
        get("lt.torrent");
        assertSameData(work.resolve("out/data"));
    }

    /**
     * HTTPS: the product trusts what the JDK's trust store trusts. Here the test's store (holding the
     * self-signed certificate nginx serves) is the JVM's default through {@code javax.net.ssl.trustStore},
     * and the download completes from the https web seed alone (StallIT: without it the certificate is refused).
     */
    @Test
    void getDownloadsFromAnHttpsWebSeedTrustedByTheJdkTrustStore() throws Exception {
        try (Nginx tls = new Nginx(work.resolve("www"), work.resolve("nginx-tls"), true)) {
            assertSucceeds(gray.run("create", "www/data", "--piece-size", "256k", "--web-seed", tls.url("/"),
                    "-o", "data.torrent"));
            GrayCommand trusting = gray.withJavaOptions("-Djavax.net.ssl.trustStore=" + tls.trustStore()
                    + " -Djavax.net.ssl.trustStorePassword=" + Nginx.TRUST_STORE_PASSWORD);
            GrayCommand.Result got = trusting.run("get", "data.torrent", "-d", "out");
            assertEquals(0, got.exit(), got.toString());
            assertSameData(work.resolve("out/data"));
            assertTrue(tls.requests() > 0, "the https web seed served it");
        }
    }

    /**
     * v2 with 4 MiB pieces: a.bin (5 MiB) and b.bin (7 MiB) each end in a short piece whose alignment gap is not on
     * the server, so a piece's range must stop at its file's end; made by {@code gray create --v2} and by libtorrent.
     */
    @Test
    void getDownloadsAV2OnlyTorrentFromAWebSeedAlone() throws Exception {
        getFromTheWebSeedAloneInFourMiBPieces("--v2");
    }

    @Test
    void getDownloadsAHybridTorrentFromAWebSeedAlone() throws Exception {
        getFromTheWebSeedAloneInFourMiBPieces("--hybrid");
    }

    private void getFromTheWebSeedAloneInFourMiBPieces(String format) throws Exception {
        assertSucceeds(gray.run("create", "www/data", format, "--piece-size", "4m", "--web-seed", nginx.url("/"),
                "-o", "data.torrent"));
        get("data.torrent");
        assertSameData(work.resolve("out/data"));
    }

    @Test
    void getDownloadsFromTheWebSeedOfAV2TorrentLibtorrentMade() throws Exception {
        getFromTheWebSeedOfATorrentLibtorrentMade("v2", 4 << 20);
    }
}
