package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.LibtorrentPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer exchange (BEP 11) with real libtorrent peers, each on an address of its own in 127.0.0.0/8:
 * {@code gray get} finds the only seed through a peer that has no data, and libtorrent peers that
 * only graytorrent knows find each other through graytorrent's messages.
 */
@Interop
@ExtendWith(LeftoverProcesses.class)
class PexIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path work;
    private GrayCommand gray;
    private final List<LibtorrentPeer> peers = new ArrayList<>();

    @BeforeEach
    void createTorrent() throws Exception {
        gray = new GrayCommand(work.resolve("home"), work);
        byte[] data = new byte[6 << 20];
        new Random(11).nextBytes(data);
        Files.createDirectories(work.resolve("seed"));
        Files.write(work.resolve("seed/data.bin"), data);
        GrayCommand.assertSucceeds(gray.run("create", "seed/data.bin", "--piece-size", "256k", "-o", "data.torrent"));
    }

    @AfterEach
    void stopPeers() throws Exception {
        for (LibtorrentPeer peer : peers) {
            peer.close();
        }
    }

    @Test
    void getCompletesFromASeedItLearnsOfOnlyThroughPex() throws Exception {
        LibtorrentPeer seed = peer("seed", "127.0.2.1", "seed", "--keep-redundant");
        LibtorrentPeer middleman = peer("leech", "127.0.3.1", "middleman", "--skip-all");
        seed.connect(middleman);
        Await.until("the middleman connected to the seed", LIMIT,
                () -> middleman.peers().stream().anyMatch(line -> line.contains("address=" + seed.host + ":")));

        long started = System.nanoTime();
        GrayCommand.Result got = gray.run("get", "data.torrent", "-d", "out", "--peer", middleman.address());
        System.out.printf("gray get through a PEX middleman: %.2f s%n", (System.nanoTime() - started) / 1e9);

        assertEquals(0, got.exit(), got.toString());
        assertTrue(got.out().contains("complete: data.bin"), got.toString());
        assertArrayEquals(Files.readAllBytes(work.resolve("seed/data.bin")), Files.readAllBytes(work.resolve("out/data.bin")),
                "the data came from the seed, the only peer that has it");
    }

    @Test
    void libtorrentPeersLearnOfEachOtherFromOurMessages() throws Exception {
        LibtorrentPeer seed = peer("seed", "127.0.4.1", "seed", "--upload-rate", Integer.toString(1 << 20));
        LibtorrentPeer leecher = peer("leech", "127.0.5.1", "leecher", "--upload-rate", Integer.toString(1 << 20));
        Process get = gray.start(work.resolve("get.out"), work.resolve("get.err"),
                "get", "data.torrent", "-d", "out", "--peer", seed.address(), "--peer", leecher.address());
        long started = System.nanoTime();
        try {
            Await.until("a libtorrent peer lists the other as learnt through PEX", LIMIT,
                    () -> learntThroughPex(leecher, seed) || learntThroughPex(seed, leecher));
            System.out.printf("libtorrent learnt of a peer through our PEX %.2f s after gray get started%n",
                    (System.nanoTime() - started) / 1e9);
        } finally {
            get.destroy();
            get.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean learntThroughPex(LibtorrentPeer listing, LibtorrentPeer listed) throws Exception {
        return listing.peers().stream().anyMatch(line -> line.contains("address=" + listed.host + ":")
                && line.matches(".* source=\\S*pex.*"));
    }

    private LibtorrentPeer peer(String mode, String address, String name, String... options) throws Exception {
        Path directory = mode.equals("seed") ? work.resolve("seed") : work.resolve(name);
        Files.createDirectories(directory);
        List<String> arguments = new ArrayList<>(List.of("--address", address));
        arguments.addAll(List.of(options));
        LibtorrentPeer peer = new LibtorrentPeer(mode, work.resolve("data.torrent"), directory,
                work.resolve(name + ".log"), arguments.toArray(String[]::new));
        peers.add(peer);
        return peer;
    }
}
