package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.PeerStatus;
import io.graytorrent.core.internal.blocklist.Blocklist;
import io.graytorrent.core.internal.blocklist.BlocklistParser;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LibtorrentPeer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IP blocklist against real peers: two libtorrent seeders, one on 127.0.0.2 (on the list) and
 * one on 127.0.0.3, both given to our engine as peers, and the blocked one also dialling us. We
 * download everything from 127.0.0.3; 127.0.0.2 never accepts a connection from us, its own dial
 * is closed before the handshake, and both refusals are counted.
 */
@Interop
class BlocklistInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aBlockedLibtorrentPeerNeverGetsAConnectionWhileAnotherDoes() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "guarded", 64 * 1024, 3, 3 << 20, 1 << 20);
        Path torrentFile = Files.write(dir.resolve("guarded.torrent"), torrent);
        Path list = Files.writeString(dir.resolve("list.p2p"), "# test\nblocked seeder:127.0.0.2-127.0.0.2\n");
        try (LibtorrentPeer blocked = new LibtorrentPeer("seed", torrentFile, dir.resolve("seed"), dir.resolve("blocked.log"),
                     "--address", "127.0.0.2");
             LibtorrentPeer allowed = new LibtorrentPeer("seed", torrentFile, dir.resolve("seed"), dir.resolve("allowed.log"),
                     "--address", "127.0.0.3");
             Blocklist blocklist = new Blocklist(List.of(list.toString()), Duration.ZERO, new BlocklistParser());
             EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            Await.until("the list loaded", WAIT, () -> blocklist.status().ipv4Ranges() == 1);
            engine.engine.setBlocklist(blocklist);

            int id = engine.add(torrent, dir.resolve("leech"), new InetSocketAddress("127.0.0.2", blocked.port),
                    new InetSocketAddress("127.0.0.3", allowed.port)).id();
            blocked.connect(engine.address().getPort());
            engine.await(id, EngineFixture.seeding(), WAIT);
            TestData.assertSameTree(dir.resolve("seed/guarded"), dir.resolve("leech/guarded"));

            Await.until("both refusals counted (candidate and incoming): " + blocklist.status(), WAIT,
                    () -> blocklist.status().refused() >= 2);
            assertEquals(0, blocked.accepted(), "the blocked seeder was never dialled");
            assertTrue(allowed.accepted() >= 1, "the other seeder was");
            assertEquals(List.of(), blocked.peers(), "no connection of the blocked seeder's lasted");
            List<PeerStatus> peers = engine.engine.peers(Integer.toString(id));
            assertTrue(peers.stream().noneMatch(p -> p.address().getAddress().getHostAddress().equals("127.0.0.2")), peers.toString());
        }
    }
}
