package io.graytorrent.core.internal.swarm;

import io.graytorrent.core.internal.engine.TestData;
import io.graytorrent.core.internal.limit.PieceBudget;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.storage.TorrentStorage;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real storage underneath; every block handed over must end released, every held byte given back. */
@Timeout(30)
@Unit
class PieceAssemblerTest {
    private static final int BLOCK = 16 * 1024;
    private static final int PIECE = 4 * BLOCK;

    @TempDir
    Path work;

    /** Without thread caches, so its arenas count every buffer not yet released. */
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true, 0, 1,
            PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(), 0, 0, false);
    private final List<ByteBuf> handedOver = new ArrayList<>();
    private final List<Throwable> writeFailures = new CopyOnWriteArrayList<>();
    private final List<PieceAssembler> assemblers = new ArrayList<>();
    private StorageService service;
    private TorrentStorage storage;
    private Metainfo metainfo;
    private byte[] content;
    private static ResourceLeakDetector.Level leakLevel;

    @BeforeAll
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    @BeforeEach
    void open() throws Exception {
        // two files, so a piece's single write spans a file boundary; the last piece is short
        byte[] torrent = TestData.multiFileTorrent(work.resolve("source"), "t", PIECE, 11, 3 * PIECE + 5000, 2 * PIECE);
        metainfo = new MetainfoParser().parse(torrent);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(Files.readAllBytes(work.resolve("source/t/file0.bin")));
        all.write(Files.readAllBytes(work.resolve("source/t/sub/file1.bin")));
        content = all.toByteArray();
        service = Storages.create(StorageConfig.defaults(work.resolve("state")));
        storage = service.open(metainfo, work.resolve("downloads"), List.of()).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        assemblers.forEach(PieceAssembler::close); // again, for a test that failed before its own close
        awaitNoLiveBuffers();
        service.close();
        for (ByteBuf block : handedOver) {
            assertEquals(0, block.refCnt(), "every block handed over is released");
        }
        assertTrue(writeFailures.isEmpty(), writeFailures::toString);
    }

    private PieceAssembler assembler(PieceBudget budget) {
        PieceAssembler assembler = new PieceAssembler(metainfo, storage, budget, allocator, writeFailures::add);
        assemblers.add(assembler);
        return assembler;
    }

    /** Block {@code index} of {@code piece} as received: a direct buffer, optionally with one byte flipped. */
    private ByteBuf block(int piece, int index, boolean corrupt) {
        int start = piece * PIECE + index * BLOCK;
        int length = Math.min(BLOCK, metainfo.pieceLength(piece) - index * BLOCK);
        ByteBuf data = allocator.directBuffer(length).writeBytes(content, start, length);
        if (corrupt) {
            data.setByte(0, data.getByte(0) ^ 1);
        }
        handedOver.add(data);
        return data;
    }

    private CompletableFuture<Boolean> add(PieceAssembler assembler, int piece, int index, boolean corrupt) {
        return assembler.add(piece, index * BLOCK, block(piece, index, corrupt));
    }

    /**
     * A block on the disk path is released by its write's completion, which may still be running on a
     * disk thread when the piece's hash result (read back on the other one) has already arrived.
     */
    private void awaitNoLiveBuffers() throws Exception {
        Await.until("every block and piece buffer released", Duration.ofSeconds(10), () -> liveBuffers() == 0);
    }

    private long liveBuffers() {
        return allocator.metric().directArenas().stream().mapToLong(arena -> arena.numActiveAllocations()).sum();
    }

    private int blocks(int piece) {
        return (metainfo.pieceLength(piece) + BLOCK - 1) / BLOCK;
    }

    private byte[] onDisk(int piece) throws Exception {
        Path file = work.resolve("downloads/t/file0.bin");
        byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        int start = piece * PIECE;
        return java.util.Arrays.copyOfRange(bytes, Math.min(start, bytes.length), Math.min(start + PIECE, bytes.length));
    }

    @Test
    void blocksInAnyOrderMakeVerifiedPiecesWrittenWhole() throws Exception {
        PieceBudget budget = new PieceBudget(64L << 20);
        PieceAssembler assembler = assembler(budget);
        List<CompletableFuture<Boolean>> verified = new ArrayList<>();
        for (int piece = metainfo.pieceCount() - 1; piece >= 0; piece--) {
            // last block first, interleaved with the next piece's first block
            for (int index = blocks(piece) - 1; index >= 0; index--) {
                CompletableFuture<Boolean> done = add(assembler, piece, index, false);
                assertEquals(index == 0, done != null, "only the last missing block completes the piece");
                if (done != null) {
                    verified.add(done);
                }
            }
        }
        for (CompletableFuture<Boolean> done : verified) {
            assertTrue(done.get(10, TimeUnit.SECONDS));
        }
        assertEquals(metainfo.pieceCount(), storage.verifiedPieces().cardinality());
        TestData.assertSameTree(work.resolve("source/t"), work.resolve("downloads/t"));
        assertTrue(budget.held() > 0 && budget.held() <= PieceAssembler.SPARE_BYTES, "only spares are held");
        assembler.releaseSpares();
        assertEquals(0, budget.held(), "a complete torrent keeps no spares");
        assembler.close();
        assertEquals(0, budget.held(), "every piece buffer given back");
        awaitNoLiveBuffers();
    }

    @Test
    void aDuplicateBlockIsDroppedAndDoesNotCompleteThePiece() throws Exception {
        PieceAssembler assembler = assembler(new PieceBudget(64L << 20));
        assertNull(add(assembler, 0, 0, false));
        assertNull(add(assembler, 0, 0, true), "a second copy of block 0, even a corrupt one, is dropped");
        assertNull(add(assembler, 0, 1, false));
        assertNull(add(assembler, 0, 2, false));
        assertTrue(add(assembler, 0, 3, false).get(10, TimeUnit.SECONDS), "the first copy counted");
        assembler.close();
        awaitNoLiveBuffers();
    }

    @Test
    void aPieceFailingItsHashIsNeverWrittenAndItsBufferIsReused() throws Exception {
        PieceBudget budget = new PieceBudget(64L << 20);
        PieceAssembler assembler = assembler(budget);
        for (int index = 0; index < 3; index++) {
            assertNull(add(assembler, 1, index, index == 1));
        }
        assertEquals(PIECE, budget.held());
        assertFalse(add(assembler, 1, 3, false).get(10, TimeUnit.SECONDS));
        assertEquals(PIECE, budget.held(), "its buffer is a spare now");
        assertTrue(storage.verifiedPieces().isEmpty());
        for (byte b : onDisk(1)) {
            assertEquals(0, b, "no byte of the failed piece reached the disk");
        }
        for (int index = 0; index < 4; index++) {
            CompletableFuture<Boolean> done = add(assembler, 1, index, false);
            if (index == 3) {
                assertTrue(done.get(10, TimeUnit.SECONDS), "a good copy sent again verifies");
            }
        }
        assertEquals(PIECE, budget.held(), "in the spare buffer");
        assembler.close();
        assertEquals(0, budget.held());
        awaitNoLiveBuffers();
    }

    @Test
    void piecesBegunPastTheBudgetGoThroughTheDisk() throws Exception {
        PieceBudget budget = new PieceBudget(PIECE); // room for one piece
        PieceAssembler assembler = assembler(budget);
        assertNull(add(assembler, 0, 0, false));
        assertNull(add(assembler, 1, 0, false));
        assertEquals(PIECE, budget.held(), "piece 1 did not fit and holds nothing");
        assertNull(add(assembler, 1, 1, false));
        assertNull(add(assembler, 1, 2, false));
        // blocks of a piece on the disk path are on disk before it completes
        storage.checkpoint().get(10, TimeUnit.SECONDS);
        assertEquals(content[PIECE + 2 * BLOCK], onDisk(1)[2 * BLOCK]);
        assertTrue(add(assembler, 1, 3, false).get(10, TimeUnit.SECONDS), "hashed from disk");

        // a corrupt piece on the disk path fails as before
        assertNull(add(assembler, 2, 0, true));
        for (int index = 1; index < 3; index++) {
            assertNull(add(assembler, 2, index, false));
        }
        assertFalse(add(assembler, 2, 3, false).get(10, TimeUnit.SECONDS));

        assertNull(add(assembler, 0, 1, false));
        assertNull(add(assembler, 0, 2, false));
        assertTrue(add(assembler, 0, 3, false).get(10, TimeUnit.SECONDS));
        assertEquals(PIECE, budget.held(), "piece 0's buffer is kept as a spare, within the budget");

        // piece 3 reuses it, so it is held in memory: its corrupt copy never reaches the disk
        assertNull(add(assembler, 3, 0, true));
        assertNull(add(assembler, 3, 1, false));
        assertNull(add(assembler, 3, 2, false));
        assertFalse(add(assembler, 3, 3, false).get(10, TimeUnit.SECONDS));
        for (byte b : onDisk(3)) {
            assertEquals(0, b);
        }
        assertEquals(PIECE, budget.held());
        assembler.close();
        assertEquals(0, budget.held());
        awaitNoLiveBuffers();
    }

    @Test
    void aStoppedTorrentReleasesEveryHeldBufferAndDropsLateBlocks() {
        PieceBudget budget = new PieceBudget(64L << 20);
        PieceAssembler assembler = assembler(budget);
        for (int piece = 0; piece < metainfo.pieceCount() - 1; piece++) { // the last piece is one block
            assertNull(add(assembler, piece, 0, false));
        }
        assertEquals((metainfo.pieceCount() - 1L) * PIECE, budget.held());
        assembler.close();
        assertEquals(0, budget.held());
        assertNull(add(assembler, 0, 1, false), "a block arriving after the stop is released, not held");
        assertEquals(0, budget.held());
        assertEquals(0, liveBuffers(), "every block and piece buffer released");
    }

    /** Piece {@code piece} whole, as a web seed hands it over: one direct buffer of exactly its length. */
    private ByteBuf whole(int piece, boolean corrupt) {
        int length = metainfo.pieceLength(piece);
        ByteBuf data = allocator.directBuffer(length, length).writeBytes(content, piece * PIECE, length);
        if (corrupt) {
            data.setByte(length - 1, data.getByte(length - 1) ^ 1);
        }
        handedOver.add(data);
        return data;
    }

    @Test
    void aWholePieceIsKeptAsItsBufferWhenNoBlockOfItIsHeldAndTheBudgetHasRoom() throws Exception {
        PieceBudget budget = new PieceBudget(3L * PIECE);
        PieceAssembler assembler = assembler(budget);
        assertTrue(assembler.addWhole(0, whole(0, false)).get(10, TimeUnit.SECONDS));
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 0, PIECE), onDisk(0), "written from the buffer handed over");
        assertEquals(PIECE, budget.held(), "that buffer is a spare now, in the budget");
        assertFalse(assembler.addWhole(2, whole(2, true)).get(10, TimeUnit.SECONDS), "hashed like any piece");
        for (byte b : onDisk(2)) {
            assertEquals(0, b, "a failed piece never reaches the disk");
        }

        // a piece with a block held already, and a buffer that is not exactly the piece, stay the caller's
        assertNull(add(assembler, 1, 0, false));
        ByteBuf second = whole(1, false);
        assertNull(assembler.addWhole(1, second));
        assertEquals(1, second.refCnt());
        second.release();
        ByteBuf last = whole(metainfo.pieceCount() - 1, false);
        ByteBuf wider = allocator.directBuffer(PIECE).writeBytes(last, 0, last.readableBytes());
        handedOver.add(wider);
        assertNull(assembler.addWhole(metainfo.pieceCount() - 1, wider));
        wider.release();
        assertTrue(assembler.addWhole(metainfo.pieceCount() - 1, last).get(10, TimeUnit.SECONDS),
                "the short last piece in a buffer of its length");

        // no room left in the budget: the caller adds it block by block
        PieceBudget full = new PieceBudget(PIECE);
        PieceAssembler tight = assembler(full);
        assertNull(tight.add(3, 0, block(3, 0, false)));
        ByteBuf third = whole(2, false);
        assertNull(tight.addWhole(2, third), "the budget holds piece 3's buffer");
        third.release();
        tight.close();
        assembler.close();
        assertEquals(0, budget.held());
        assertEquals(0, full.held());
        awaitNoLiveBuffers();
    }
}
