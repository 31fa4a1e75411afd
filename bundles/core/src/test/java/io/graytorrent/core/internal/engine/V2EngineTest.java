package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentStatus;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 in the engine, engine to engine and against hand-driven peers: a v2-only torrent downloads
 * under its truncated v2 infohash; a hybrid answers handshakes under either infohash as one torrent;
 * a bad block in a piece of mixed origin is pinned on its sender once the piece verifies.
 */
@Timeout(60)
@Unit
class V2EngineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PIECE = 32 * 1024;

    @TempDir
    Path dir;

    /** Files of these sizes under seed/album, made into a torrent of {@code format} by our creator. */
    private byte[] torrent(TorrentCreator.Format format, long... sizes) throws IOException {
        TestData.multiFileTorrent(dir.resolve("seed"), "album", PIECE, 21, sizes);
        return TorrentCreator.forPath(dir.resolve("seed/album")).pieceLength(PIECE).format(format).create();
    }

    @Test
    void aV2OnlyTorrentDownloadsEngineToEngineUnderItsTruncatedV2Hash() throws Exception {
        byte[] torrent = torrent(TorrentCreator.Format.V2, 100_000, 5_000, 3 * PIECE, 1);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seed-state"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leech-state"))) {
            TorrentStatus seeding = seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            assertEquals(metainfo.v2().orElseThrow().infoHash().truncated(), seeding.infoHash());
            String v2 = metainfo.v2().orElseThrow().infoHash().toHex();
            assertEquals(v2, seeding.infoHashV2().orElseThrow());
            assertEquals(seeding.id(), seeder.engine.status(v2).id(), "named by its whole v2 infohash too");
            TorrentStatus done = leecher.await(leecher.add(torrent, dir.resolve("leech"), seeder.address()).id(),
                    EngineFixture.seeding(), WAIT);
            assertEquals(100_000 + 5_000 + 3 * PIECE + 1, done.verifiedBytes());
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
        }
    }

    @Test
    void aHybridAnswersHandshakesUnderEitherInfohashAsOneTorrent() throws Exception {
        byte[] torrent = torrent(TorrentCreator.Format.HYBRID, 50_000, 40_000);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        byte[] v1 = metainfo.infoHash().toBytes();
        byte[] v2 = metainfo.v2().orElseThrow().infoHash().truncated().toBytes();
        try (EngineFixture seeder = new EngineFixture(dir.resolve("state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            assertEquals(1, seeder.engine.list().size(), "one torrent");
            TorrentStatus status = seeder.engine.list().get(0);
            assertEquals(metainfo.infoHash(), status.infoHash());
            assertEquals(metainfo.v2().orElseThrow().infoHash().toHex(), status.infoHashV2().orElseThrow());
            for (byte[] infoHash : new byte[][] {v1, v2}) {
                try (ScriptedPeer peer = ScriptedPeer.connect(seeder.address())) {
                    peer.write(ScriptedPeer.handshakeBytes(infoHash, ScriptedPeer.FAST));
                    assertArrayEquals(infoHash, peer.readHandshake(), "answered under the hash it was asked for");
                    assertEquals(0x0E, peer.readUntil(0x0E)[0], "the same seeding torrent: HAVE_ALL");
                    peer.send(2); // interested
                    peer.readUntil(1); // unchoke
                    byte[] data = peer.downloadPiece(1, PIECE);
                    assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(dir.resolve("seed/album/file0.bin")), PIECE,
                            2 * PIECE), data);
                }
            }
        }
    }

    /**
     * Peer B sends a damaged block and refuses the other, which peer A sends: the piece fails
     * with data from both, which proves nothing of either. A then sends the whole piece, which
     * verifies: its block hashes show the first block was B's bad one, and B (ban threshold 1) is cut off.
     */
    @Test
    void aBadBlockInAPieceOfMixedOriginIsPinnedOnItsSenderOnceThePieceVerifies() throws Exception {
        byte[] torrent = torrent(TorrentCreator.Format.V2, PIECE); // one piece of two blocks
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        byte[] infoHash = metainfo.infoHash().toBytes();
        byte[] data = Files.readAllBytes(dir.resolve("seed/album/file0.bin"));
        try (EngineFixture leecher = new EngineFixture(dir.resolve("state"), TestSettings.withBanThreshold(dir, 1));
             ScriptedPeer a = ScriptedPeer.connectFrom(InetAddress.getByName("127.0.0.2"), downloading(leecher, torrent));
             ScriptedPeer b = ScriptedPeer.connectFrom(InetAddress.getByName("127.0.0.3"), leecher.address())) {
            int id = leecher.engine.list().get(0).id();
            a.handshake(infoHash, ScriptedPeer.FAST).send(0x0E); // HAVE_ALL, still choking
            b.handshake(infoHash, ScriptedPeer.FAST).send(0x0E);
            b.send(1); // unchoke: B is asked for piece 0
            byte[] first = request(b);
            byte[] second = request(b);
            int offset = ByteBuffer.wrap(first).getInt(4);
            byte[] damaged = Arrays.copyOfRange(data, offset, offset + ScriptedPeer.BLOCK);
            damaged[7] ^= 1;
            b.send(7, concat(Arrays.copyOf(first, 8), damaged));
            b.send(16, second); // REJECT_REQUEST: the second block goes elsewhere
            leecher.await(id, status -> status.downloaded() >= ScriptedPeer.BLOCK, WAIT); // B's block is in
            CompletableFuture.runAsync(() -> serveAll(a, data));
            a.send(1);
            // the piece fails with blocks of both; asked again, A sends it all, B refuses
            rejectAll(b);
            assertEquals(PIECE, leecher.await(id, EngineFixture.seeding(), WAIT).verifiedBytes());
        }
    }

    /** Adds the torrent to the engine (with no peers), waits until it downloads, and returns where it listens. */
    private java.net.InetSocketAddress downloading(EngineFixture engine, byte[] torrent) throws Exception {
        int id = engine.add(torrent, dir.resolve("leech")).id();
        engine.await(id, status -> status.state() == io.graytorrent.api.TorrentState.DOWNLOADING, WAIT);
        return engine.address();
    }

    /** The next REQUEST's payload (piece, offset, length). */
    private static byte[] request(ScriptedPeer peer) throws IOException {
        byte[] message = peer.readUntil(6);
        return Arrays.copyOfRange(message, 1, 13);
    }

    /** Answers every request honestly until the connection ends. */
    private static void serveAll(ScriptedPeer peer, byte[] data) {
        try {
            while (true) {
                serve(peer, data, request(peer));
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private static void serve(ScriptedPeer peer, byte[] data, byte[] request) throws IOException {
        ByteBuffer fields = ByteBuffer.wrap(request);
        int piece = fields.getInt();
        int offset = fields.getInt();
        int length = fields.getInt();
        int start = piece * PIECE + offset;
        peer.send(7, concat(Arrays.copyOf(request, 8), Arrays.copyOfRange(data, start, start + length)));
    }

    /** Rejects every request until the engine hangs up on the banned peer: fails if it never does. */
    private static void rejectAll(ScriptedPeer peer) throws IOException {
        assertThrows(EOFException.class, () -> {
            while (true) {
                byte[] message = peer.readMessage();
                if (message[0] == 6) {
                    peer.send(16, Arrays.copyOfRange(message, 1, 13));
                }
            }
        }, "the engine cut off the sender of the bad block");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
