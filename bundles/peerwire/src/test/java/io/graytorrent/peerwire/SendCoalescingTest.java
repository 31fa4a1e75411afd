package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sends from many threads at once over a real 127.0.0.1 connection: order, completions, buffers. */
@Timeout(30)
@Unit
class SendCoalescingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InfoHash TORRENT = InfoHash.parse("22".repeat(20));
    private static final int PIECES = 8;
    private static final int BLOCK = 16384;

    private final RecordingListener seederEvents = new RecordingListener();
    private final RecordingListener leecherEvents = new RecordingListener();
    private PeerWire seederWire;
    private PeerWire leecherWire;
    private PeerConnection seeder;
    private PeerConnection leecher;

    @BeforeEach
    void connect() throws Exception {
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, seederEvents);
        seederWire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> hash.equals(TORRENT) ? Optional.of(endpoint) : Optional.empty(), new ExtensionRegistry());
        leecherWire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.empty(), new ExtensionRegistry());
        leecher = leecherWire.connect(seederWire.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents))
                .get(5, TimeUnit.SECONDS);
        seeder = seederEvents.next(RecordingListener.Connected.class, WAIT).peer();
    }

    @AfterEach
    void close() {
        leecherWire.close();
        seederWire.close();
    }

    @Test
    void keepsEachThreadsOrderAndCompletesEveryBlockOnce() throws Exception {
        int threads = 4;
        int perThread = 200;
        AtomicIntegerArray completions = new AtomicIntegerArray(threads * perThread);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    int id = thread * perThread + i;
                    // piece = sending thread, offset = its sequence number: a REQUEST, then a block
                    seeder.send(new PeerMessage.Request(thread, i, BLOCK));
                    ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(BLOCK).writeZero(BLOCK);
                    seeder.send(new PeerMessage.Piece(thread, i, block), () -> completions.incrementAndGet(id));
                }
            });
            sender.start();
            senders.add(sender);
        }
        start.countDown();
        for (Thread sender : senders) {
            sender.join();
        }

        int[] nextRequest = new int[threads];
        int[] nextBlock = new int[threads];
        for (int received = 0; received < 2 * threads * perThread; received++) {
            PeerMessage message = leecherEvents.next(RecordingListener.Received.class, WAIT).message();
            if (message instanceof PeerMessage.Request request) {
                assertEquals(nextRequest[request.piece()]++, request.offset(), "REQUEST order of thread " + request.piece());
                assertEquals(nextBlock[request.piece()], request.offset(), "a REQUEST overtook its thread's block");
            } else if (message instanceof PeerMessage.Piece piece) {
                piece.data().release();
                assertEquals(nextBlock[piece.piece()]++, piece.offset(), "block order of thread " + piece.piece());
                assertEquals(nextRequest[piece.piece()], piece.offset() + 1, "a block overtook its thread's REQUEST");
            }
        }
        awaitAllOnes(completions, completions.length());
        assertEquals((long) threads * perThread * BLOCK, seeder.stats().payloadUploaded());
    }

    @Test
    void closingFailsQueuedBlocksOnceAndReleasesEveryBuffer() throws Exception {
        leecher.setReading(false); // the blocks pile up in our queue and Netty's
        int sent = 0;
        List<ByteBuf> blocks = new ArrayList<>();
        AtomicIntegerArray completions = new AtomicIntegerArray(4096);
        while (seeder.isWritable() && sent < 4096) {
            ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(BLOCK).writeZero(BLOCK);
            blocks.add(block);
            int id = sent++;
            seeder.send(new PeerMessage.Piece(0, 0, block), () -> completions.incrementAndGet(id));
        }
        seeder.close(CloseReason.normal("test done"));
        // and a block sent after the close, as an uploader racing with it would
        ByteBuf late = PooledByteBufAllocator.DEFAULT.directBuffer(BLOCK).writeZero(BLOCK);
        CountDownLatch lateDone = new CountDownLatch(1);
        seeder.send(new PeerMessage.Piece(0, 0, late), lateDone::countDown);

        assertTrue(lateDone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        awaitAllOnes(completions, sent);
        assertEquals(0, late.refCnt());
        for (ByteBuf block : blocks) {
            assertEquals(0, block.refCnt(), "a queued block was not released after the close");
        }
    }

    @Test
    void whatTheEventLoopSendsBeforeClosingLeavesBeforeTheClose() throws Exception {
        // a peer that answers INTERESTED from its event loop with UNCHOKE and HAVE, then hangs up
        PeerListener answerThenClose = new PeerListener() {
            @Override
            public void onConnected(PeerConnection peer) {
            }

            @Override
            public void onMessage(PeerConnection peer, PeerMessage message) {
                if (message instanceof PeerMessage.Interested) {
                    peer.send(PeerMessage.Unchoke.INSTANCE);
                    peer.send(new PeerMessage.Have(3));
                    peer.close(CloseReason.normal("answered"));
                }
            }

            @Override
            public void onClosed(PeerConnection peer, CloseReason reason) {
            }
        };
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, answerThenClose);
        try (PeerWire answering = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.of(endpoint), new ExtensionRegistry())) {
            RecordingListener events = new RecordingListener();
            PeerConnection asking = leecherWire.connect(answering.listenAddress(),
                    new TorrentEndpoint(TORRENT, PIECES, events)).get(5, TimeUnit.SECONDS);
            asking.send(PeerMessage.Interested.INSTANCE);

            assertEquals(PeerMessage.Unchoke.INSTANCE, events.next(RecordingListener.Received.class, WAIT).message());
            assertEquals(new PeerMessage.Have(3), events.next(RecordingListener.Received.class, WAIT).message());
            events.next(RecordingListener.Closed.class, WAIT);
        }
    }

    /** The first {@code count} completions each ran exactly once. */
    private static void awaitAllOnes(AtomicIntegerArray completions, int count) throws Exception {
        Await.until("every send completed", WAIT, () -> IntStream.range(0, count).allMatch(i -> completions.get(i) > 0));
        // a second completion would come late
        Await.throughout("every send completed once", Duration.ofMillis(100),
                () -> IntStream.range(0, count).allMatch(i -> completions.get(i) == 1));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
