package io.graytorrent.core.internal.webseed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.webseed.TestWebServer.Behaviour;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Unit;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of blocks against a server on 127.0.0.1 that serves honestly or breaks the protocol:
 * what arrives, and how each failure is classified. A run spans both files of the torrent.
 */
@Timeout(30)
@Unit
class RangeFetchTest {
    private static final int PIECE = 32 * 1024;
    // 3 s without a byte: the first, cold exchange of a loaded machine took more than 800 ms (4 runs failed so)
    private static final WebSeedSettings QUICK = new WebSeedSettings(2, 1 << 20, Duration.ofSeconds(3), 64 * 1024, 3,
            Duration.ofSeconds(1), Duration.ofSeconds(5));

    @TempDir
    Path dir;
    private TestWebServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final EventLoopGroup loops = new NioEventLoopGroup(1);
    private final HttpConnections connections = new HttpConnections(this::dial, 2);
    private final AtomicInteger dials = new AtomicInteger();
    private Metainfo metainfo;
    private byte[] first;
    private byte[] second;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestWebServer();
        Path root = Files.createDirectories(dir.resolve("my data"));
        Random random = new Random(7);
        first = new byte[40_000];
        second = new byte[30_000];
        random.nextBytes(first);
        random.nextBytes(second);
        Files.write(root.resolve("a.bin"), first);
        Files.write(root.resolve("b ü.bin"), second);
        metainfo = new MetainfoParser().parse(TorrentCreator.forPath(root).pieceLength(PIECE).create());
    }

    @AfterEach
    void tearDown() {
        server.close();
        executor.shutdownNow();
        timer.shutdownNow();
        connections.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A plain TCP dial on the test's event loop: what the peer wire's {@code dialOut} does without a route. */
    private CompletableFuture<Channel> dial(String host, int port, Duration timeout, ChannelHandler handlers) {
        dials.incrementAndGet();
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis()).handler(handlers)
                .connect(host, port).addListener((ChannelFuture done) -> {
                    if (done.isSuccess()) {
                        connected.complete(done.channel());
                    } else {
                        connected.completeExceptionally(done.cause());
                    }
                });
        return connected;
    }

    private record Outcome(byte[] bytes, FetchFailure failure, List<BlockRequest> undelivered) {
    }

    /** Fetches pieces 0 and 1 (bytes 0-65535: all of a.bin, the start of b ü.bin) with the two files served as given. */
    private Outcome fetch(Behaviour a, Behaviour b, WebSeedSettings settings, long rateLimit) throws Exception {
        server.serve("/seed/my%20data/a.bin", first, a);
        server.serve("/seed/my%20data/b%20%C3%BC.bin", second, b);
        WebSeedFiles files = new WebSeedFiles(metainfo, server.url("/seed"));
        List<BlockRequest> blocks = new ArrayList<>();
        for (int piece = 0; piece < 2; piece++) {
            for (int index = 0; index < BlockRequest.blockCount(PIECE); index++) {
                blocks.add(BlockRequest.of(piece, PIECE, index));
            }
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        RateLimits limits = new RateLimits(new TokenBucket(rateLimit, System::nanoTime),
                new TokenBucket(TokenBucket.UNLIMITED, System::nanoTime));
        RangeFetch[] fetch = new RangeFetch[1];
        fetch[0] = new RangeFetch(connections, files, blocks, 0, executor, limits, settings,
                UnpooledByteBufAllocator.DEFAULT, bytes -> { }, new RangeFetch.Listener() {
                    @Override
                    public void blocks(RangeFetch run, List<BlockRequest> blocks, ByteBuf data) {
                        byte[] bytes = new byte[data.readableBytes()];
                        data.readBytes(bytes);
                        data.release();
                        received.writeBytes(bytes);
                    }

                    @Override
                    public void finished(RangeFetch run, FetchFailure failure, List<BlockRequest> undelivered) {
                        outcome.complete(new Outcome(received.toByteArray(), failure, List.copyOf(undelivered)));
                    }
                });
        executor.execute(fetch[0]::start);
        var watchdog = timer.scheduleAtFixedRate(() -> executor.execute(() -> fetch[0].checkProgress(System.nanoTime())),
                100, 100, TimeUnit.MILLISECONDS);
        try {
            return outcome.get(20, TimeUnit.SECONDS);
        } finally {
            watchdog.cancel(false);
        }
    }

    private Outcome fetch(Behaviour a, Behaviour b) throws Exception {
        return fetch(a, b, QUICK, TokenBucket.UNLIMITED);
    }

    private byte[] expected() {
        byte[] run = new byte[2 * PIECE];
        System.arraycopy(first, 0, run, 0, first.length);
        System.arraycopy(second, 0, run, first.length, run.length - first.length);
        return run;
    }

    private static void assertFailed(Outcome outcome, FetchFailure.Kind kind, String message) {
        assertTrue(outcome.failure() != null, "the run should fail");
        assertEquals(kind, outcome.failure().kind, outcome.failure().getMessage());
        assertTrue(outcome.failure().getMessage().contains(message), outcome.failure().getMessage());
        assertEquals(4 - outcome.bytes().length / BlockRequest.BLOCK_SIZE, outcome.undelivered().size(),
                "every block not delivered is given back");
    }

    @Test
    void aRunAcrossTwoFilesArrivesWholeAndInOrder() throws Exception {
        Outcome outcome = fetch(Behaviour.HONEST, Behaviour.HONEST);
        assertNull(outcome.failure());
        assertArrayEquals(expected(), outcome.bytes());
        assertTrue(outcome.undelivered().isEmpty());
    }

    @Test
    void runsOneAfterAnotherShareOnePersistentConnection() throws Exception {
        assertArrayEquals(expected(), fetch(Behaviour.HONEST, Behaviour.HONEST).bytes());
        assertArrayEquals(expected(), fetch(Behaviour.HONEST, Behaviour.HONEST).bytes());
        assertEquals(4, server.requests(), "two files twice");
        assertEquals(1, dials.get(), "every request on the one connection");
    }

    @Test
    void redirectsAreFollowedAndALoopFails() throws Exception {
        assertArrayEquals(expected(), fetch(Behaviour.REDIRECT, Behaviour.REDIRECT).bytes());
        assertFailed(fetch(Behaviour.REDIRECT_LOOP, Behaviour.HONEST), FetchFailure.Kind.VIOLATION, "redirect");
    }

    @Test
    void aMissingFileIsNamedAndTheBlocksBeforeItAreKept() throws Exception {
        Outcome outcome = fetch(Behaviour.HONEST, Behaviour.NOT_FOUND);
        assertFailed(outcome, FetchFailure.Kind.MISSING_FILE, "HTTP 404");
        assertEquals(1, outcome.failure().file);
        assertEquals(2 * BlockRequest.BLOCK_SIZE, outcome.bytes().length, "a.bin's two whole blocks");
    }

    @Test
    void aBusyServerSaysWhenToComeBack() throws Exception {
        Outcome outcome = fetch(Behaviour.BUSY_ONCE, Behaviour.HONEST);
        assertFailed(outcome, FetchFailure.Kind.RETRY, "HTTP 503");
        assertEquals(Duration.ofSeconds(1), outcome.failure().retryAfter.orElseThrow());
    }

    @Test
    void wrongRangesAndBodiesAreRefused() throws Exception {
        assertFailed(fetch(Behaviour.WRONG_RANGE, Behaviour.HONEST), FetchFailure.Kind.VIOLATION, "Content-Range");
        assertFailed(fetch(Behaviour.HONEST, Behaviour.LONG_BODY), FetchFailure.Kind.VIOLATION, "longer");
        assertFailed(fetch(Behaviour.SHORT_BODY, Behaviour.HONEST), FetchFailure.Kind.RETRY, "body ended after");
        assertFailed(fetch(Behaviour.HONEST, Behaviour.IGNORES_RANGE), FetchFailure.Kind.VIOLATION, "ignores Range");
    }

    @Test
    void silentAndSlowServersAreCutOff() throws Exception {
        assertFailed(fetch(Behaviour.SILENT, Behaviour.HONEST), FetchFailure.Kind.RETRY, "no data for");
        assertFailed(fetch(Behaviour.SLOW_LORIS, Behaviour.HONEST), FetchFailure.Kind.RETRY, "slower than");
    }

    @Test
    void theDownloadLimitPacesTheBody() throws Exception {
        long started = System.nanoTime();
        WebSeedSettings patient = new WebSeedSettings(2, 1 << 20, Duration.ofSeconds(5), 1024, 3,
                Duration.ofSeconds(1), Duration.ofSeconds(5));
        Outcome outcome = fetch(Behaviour.HONEST, Behaviour.HONEST, patient, 32 * 1024);
        assertArrayEquals(expected(), outcome.bytes());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis >= 700, "64 KiB at 32 KiB/s (a 32 KiB burst) took only " + millis + " ms");
    }
}
