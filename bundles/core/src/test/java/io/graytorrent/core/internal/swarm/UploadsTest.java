package io.graytorrent.core.internal.swarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.PeerOrigin;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.storage.TorrentStorage;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving the last piece of a v2-only torrent whose last file ends mid-piece and mid-block, from a
 * real disk storage: libtorrent 2.0.8 pads that file to a whole piece and asks for the last data
 * block in full, so the bytes past the data go out as zeros; a request past the piece length is
 * still out of range.
 */
@Unit
class UploadsTest {
    private static final int PIECE = 32 * 1024;
    private static final int BLOCK = 16 * 1024;
    /** The last file: two pieces and 20000 bytes, so its last piece holds one block and 3616 bytes. */
    private static final int LAST_FILE = 2 * PIECE + 20_000;

    @TempDir
    Path dir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private StorageService service;
    private TorrentStorage storage;
    private Metainfo metainfo;
    private Uploads uploads;
    private byte[] lastFile;

    @BeforeEach
    void seedAV2OnlyTorrent() throws Exception {
        Path root = Files.createDirectories(dir.resolve("seed/t"));
        Random random = new Random(7);
        byte[] first = new byte[40_000];
        random.nextBytes(first);
        Files.write(root.resolve("a.bin"), first);
        lastFile = new byte[LAST_FILE];
        random.nextBytes(lastFile);
        Files.write(root.resolve("b.bin"), lastFile);
        byte[] torrent = TorrentCreator.forPath(root).pieceLength(PIECE).format(TorrentCreator.Format.V2).create();
        metainfo = new MetainfoParser().parse(torrent);
        assertTrue(metainfo.isV2Only());
        service = Storages.create(StorageConfig.defaults(dir.resolve("state")));
        storage = service.open(metainfo, dir.resolve("seed"), List.of()).get(30, TimeUnit.SECONDS);
        assertEquals(metainfo.pieceCount(), storage.verifiedPieces().cardinality(), "the data on disk is hashed");
        RateLimits unlimited = new RateLimits(new TokenBucket(0, System::nanoTime), new TokenBucket(0, System::nanoTime));
        uploads = new Uploads(metainfo, Runnable::run, timer, unlimited, 250);
    }

    @AfterEach
    void close() throws Exception {
        service.close();
        timer.shutdownNow();
    }

    private int lastPiece() {
        return metainfo.pieceCount() - 1;
    }

    /** An unchoked peer the torrent is served to. */
    private Peer peer(FakeConnection connection) {
        Peer peer = new Peer(connection, PeerOrigin.MANUAL, 0);
        peer.amChoking = false;
        return peer;
    }

    private void request(Peer peer, int piece, int offset, int length) {
        BitSet have = new BitSet();
        have.set(0, metainfo.pieceCount());
        uploads.onRequest(peer, new PeerMessage.Request(piece, offset, length), have, storage);
    }

    @Test
    void theLastDataBlockAskedForInFullIsTheDataFollowedByZeros() throws Exception {
        assertEquals(20_000, metainfo.pieceLength(lastPiece()), "our layout's last piece ends with the data");
        FakeConnection connection = new FakeConnection(new InetSocketAddress("127.0.0.1", 6881), Capabilities.NONE);
        Peer peer = peer(connection);
        request(peer, lastPiece(), 0, BLOCK);
        request(peer, lastPiece(), BLOCK, BLOCK); // 3616 bytes of data, 12768 of the padding libtorrent assumes

        Await.until("both blocks sent or the connection closed", Duration.ofSeconds(10),
                () -> connection.closed != null || connection.sent(PeerMessage.Piece.class).size() == 2);
        assertNull(connection.closed, "the requests are in range");
        // two runs read on disk threads: either may be sent first
        List<PeerMessage.Piece> blocks = connection.sent(PeerMessage.Piece.class).stream()
                .sorted(Comparator.comparingInt(PeerMessage.Piece::offset)).toList();
        byte[] expected = new byte[2 * BLOCK];
        System.arraycopy(lastFile, 2 * PIECE, expected, 0, 20_000);
        for (int i = 0; i < 2; i++) {
            PeerMessage.Piece block = blocks.get(i);
            assertEquals(lastPiece(), block.piece());
            assertEquals(i * BLOCK, block.offset());
            assertArrayEquals(Arrays.copyOfRange(expected, i * BLOCK, (i + 1) * BLOCK), ByteBufUtil.getBytes(block.data()));
            block.data().release();
        }
        assertEquals(2L * BLOCK, uploads.uploaded());
    }

    @Test
    void aRequestPastThePieceLengthIsStillOutOfRange() {
        for (int[] request : new int[][] {{BLOCK, BLOCK + 1}, {PIECE, 1}}) {
            FakeConnection connection = new FakeConnection(new InetSocketAddress("127.0.0.1", 6881), Capabilities.NONE);
            request(peer(connection), lastPiece(), request[0], request[1]);
            assertNotNull(connection.closed, "offset " + request[0] + " length " + request[1] + " is past the piece");
            assertTrue(connection.closed.toString().contains("request out of range"), connection.closed::toString);
            assertTrue(connection.sent(PeerMessage.Piece.class).isEmpty());
        }
    }

    @Test
    void aFilesAlignmentGapInsideARequestIsSentAsZerosToo() throws Exception {
        FakeConnection connection = new FakeConnection(new InetSocketAddress("127.0.0.1", 6881), Capabilities.NONE);
        int data = 40_000 - PIECE; // a.bin's second piece: 7232 bytes of data, then its alignment gap
        request(peer(connection), 1, 0, BLOCK);
        Await.until("the block sent", Duration.ofSeconds(10), () -> connection.sent(PeerMessage.Piece.class).size() == 1);
        assertNull(connection.closed);
        PeerMessage.Piece block = connection.sent(PeerMessage.Piece.class).get(0);
        byte[] bytes = ByteBufUtil.getBytes(block.data());
        block.data().release();
        byte[] first = Files.readAllBytes(dir.resolve("seed/t/a.bin"));
        assertArrayEquals(Arrays.copyOfRange(first, PIECE, 40_000), Arrays.copyOf(bytes, data));
        assertArrayEquals(new byte[BLOCK - data], Arrays.copyOfRange(bytes, data, BLOCK), "the alignment gap is zeros");
    }
}
