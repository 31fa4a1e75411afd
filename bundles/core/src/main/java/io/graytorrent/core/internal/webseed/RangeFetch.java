package io.graytorrent.core.internal.webseed;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of contiguous blocks fetched from a web seed: one request per segment of its
 * {@link SeedLayout} (per file the run touches for BEP 19, per piece for BEP 17), one after another on the seed's persistent connections; the bodies are cut into the
 * run's blocks as they stream in. Everything the server says is checked: the status, the
 * {@code Content-Range} against what was asked, and the body's length (a longer one is cut off at
 * once, a shorter one fails); the layout says what a status means. The body is read only as the download limits allow. A seed's tick
 * aborts a run that stalls or crawls ({@link #checkProgress}).
 *
 * <p>Threads: started and checked on the torrent's executor; HTTP callbacks on the client's
 * threads, serially per response; blocks and the outcome are handed to the executor.
 */
final class RangeFetch {
    private static final String USER_AGENT = "graytorrent";
    /**
     * The most bytes of a body held before they go to the torrent. A chunk ends at a piece's end, so
     * a whole piece up to this length arrives in one buffer the torrent can keep as the piece's
     * (no copy, one hand-off to the executor per piece rather than per 16 KiB block).
     */
    static final int MAX_CHUNK = 4 << 20;
    /**
     * A chunk filling slowly (a slow server, the download limit) hands its whole blocks over at least
     * this often, so the torrent's progress and rate move as bytes come, not once per piece.
     */
    private static final long HAND_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Told on the torrent's executor. */
    interface Listener {
        /** Whole blocks of the run, in order and back to back in {@code data}; the listener takes over {@code data}. */
        void blocks(RangeFetch fetch, List<BlockRequest> blocks, ByteBuf data);

        /** The run ended: {@code failure} null when every block was delivered. */
        void finished(RangeFetch fetch, FetchFailure failure, List<BlockRequest> undelivered);
    }

    private final HttpClient client;
    private final SeedLayout layout;
    private final List<BlockRequest> blocks;
    private final long start;
    private final long length;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final RateLimits limits;
    private final WebSeedSettings settings;
    private final Listener listener;
    private final Consumer<Integer> bytesReceived;
    private final ByteBufAllocator allocator;
    private final long startedNanos = System.nanoTime();

    // written on HTTP threads (serially: one segment at a time), read by checkProgress
    private volatile long lastProgressNanos = startedNanos;
    private volatile boolean waitingForLimit;
    /** Time spent waiting for the download limit, not the server's slowness; one writer at a time (the payment chain). */
    private volatile long limitedNanos;
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<?> exchange;
    private volatile boolean ended;
    /**
     * The chunk being filled: blocks {@code [blockIndex, chunkEnd)} of {@link #blocks} (the rest of one
     * piece, {@link #MAX_CHUNK} bytes at most) and their buffer; guarded by this.
     */
    private int blockIndex;
    private int chunkEnd;
    private ByteBuf chunk;
    /** Bytes of {@link #chunk} handed over already (its blocks before {@link #blockIndex}). */
    private int handedBytes;
    private long lastHandNanos = startedNanos;
    /** Blocks handed to the listener, on the executor: the rest are undelivered when the run ends. */
    private int delivered;

    RangeFetch(HttpClient client, SeedLayout layout, List<BlockRequest> blocks, long start, Executor executor,
            ScheduledExecutorService timer, RateLimits limits, WebSeedSettings settings, ByteBufAllocator allocator,
            Consumer<Integer> bytesReceived, Listener listener) {
        this.client = client;
        this.layout = layout;
        this.blocks = List.copyOf(blocks);
        this.start = start;
        this.length = blocks.stream().mapToLong(BlockRequest::length).sum();
        this.executor = executor;
        this.timer = timer;
        this.limits = limits;
        this.settings = settings;
        this.allocator = allocator;
        this.bytesReceived = bytesReceived;
        this.listener = listener;
    }

    List<BlockRequest> blocks() {
        return blocks;
    }

    void start() {
        fetch(layout.segments(start, length), 0);
    }

    /** On the executor, every second: aborts a run that sent nothing for a while or crawls. */
    void checkProgress(long nowNanos) {
        if (ended || waitingForLimit) {
            return;
        }
        long idleNanos = settings.idleTimeout().toNanos();
        long deadline = startedNanos + limitedNanos + idleNanos
                + TimeUnit.SECONDS.toNanos(1) * length / Math.max(1, settings.minRate());
        if (nowNanos - lastProgressNanos > idleNanos) {
            abort(FetchFailure.retry("no data for " + settings.idleTimeout().toMillis() + " ms"));
        } else if (nowNanos - deadline > 0) {
            abort(FetchFailure.retry("slower than " + settings.minRate() + " B/s"));
        }
    }

    /** Stops the run (the torrent stopped, or the seed is dropped); the listener hears nothing more. */
    void cancel() {
        ended = true;
        stopExchange();
        releasePartial();
    }

    private void abort(FetchFailure failure) {
        end(failure); // first: the cancelled exchange reports its cancellation too
        stopExchange();
    }

    private void stopExchange() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        CompletableFuture<?> pending = exchange;
        if (pending != null) {
            pending.cancel(true);
        }
    }

    private void fetch(List<SeedLayout.Segment> segments, int index) {
        if (ended) {
            return;
        }
        if (index == segments.size()) {
            end(null);
            return;
        }
        SeedLayout.Segment segment = segments.get(index);
        if (segment.padding()) { // BEP 47: zeros, not asked of the server
            ByteBuffer zeros = ByteBuffer.allocate(BlockRequest.BLOCK_SIZE);
            for (long left = segment.length(); left > 0; left -= zeros.capacity()) {
                accept(zeros.clear().limit((int) Math.min(left, zeros.capacity())));
            }
            fetch(segments, index + 1);
            return;
        }
        HttpRequest request = layout.request(segment)
                .timeout(settings.idleTimeout())
                .header("User-Agent", USER_AGENT)
                .GET().build();
        lastProgressNanos = System.nanoTime();
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = client.sendAsync(request, info -> layout.answer(segment, info, Body::new));
        } catch (RuntimeException e) {
            end(FetchFailure.violation(layout.describe(segment.unit()) + ": " + e.getMessage()));
            return;
        }
        exchange = sent;
        sent.whenComplete((response, failure) -> {
            if (failure != null) {
                end(FetchFailure.of(failure));
            } else {
                fetch(segments, index + 1);
            }
        });
    }

    /** A status neither layout reads: a redirect not followed, another 5xx (back off), anything else (a violation). */
    static FetchFailure otherStatus(String what, int status) {
        if (status >= 300 && status < 400) {
            // the client follows up to 5 redirects (not from https to http): this is a loop, or one too many
            return FetchFailure.violation(what + ", a redirect not followed (a loop, or too many)");
        }
        return status >= 500 ? FetchFailure.retry(what) : FetchFailure.violation(what);
    }

    /** A subscriber that reads nothing and fails the exchange with {@code failure}. */
    static HttpResponse.BodySubscriber<Void> refuse(FetchFailure failure) {
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<Void> body = CompletableFuture.failedFuture(failure);

            @Override
            public CompletionStage<Void> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel(); // never read a body we do not want: it may not end
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        };
    }

    /** Reads exactly {@code expected} bytes into the run's blocks, as the download limits allow. */
    private final class Body implements HttpResponse.BodySubscriber<Void> {
        private final long expected;
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        private long received;
        private long waitStartedNanos;
        /** The body ended while its last bytes' debt was unpaid: it completes once paid. */
        private boolean endedWhilePaying;

        Body(long expected) {
            this.expected = expected;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            RangeFetch.this.subscription = subscription;
            if (ended) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long bytes = buffers.stream().mapToLong(ByteBuffer::remaining).sum();
            if (body.isDone()) {
                return;
            }
            if (received + bytes > expected) {
                subscription.cancel();
                body.completeExceptionally(FetchFailure.violation("body longer than the " + expected + " bytes asked"));
                return;
            }
            received += bytes;
            lastProgressNanos = System.nanoTime();
            bytesReceived.accept((int) bytes); // counted before a block it completes can complete the torrent
            buffers.forEach(RangeFetch.this::accept);
            long debt = bytes - limits.take(bytes);
            if (debt > 0) {
                waitingForLimit = true;
                waitStartedNanos = System.nanoTime();
                payThenRead(debt);
            } else {
                subscription.request(1);
            }
        }

        private void payThenRead(long debt) {
            timer.schedule(() -> {
                long left = debt - limits.take(debt);
                if (left > 0) {
                    payThenRead(left);
                } else {
                    lastProgressNanos = System.nanoTime();
                    limitedNanos += lastProgressNanos - waitStartedNanos;
                    synchronized (this) {
                        waitingForLimit = false;
                        if (endedWhilePaying) {
                            complete();
                            return;
                        }
                    }
                    subscription.request(1);
                }
            }, Math.max(1, limits.nanosUntilAvailable(debt)), TimeUnit.NANOSECONDS);
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            synchronized (this) {
                if (waitingForLimit) {
                    endedWhilePaying = true; // the limit holds the run back as it would hold reading
                    return;
                }
            }
            complete();
        }

        private void complete() {
            if (received < expected) {
                body.completeExceptionally(FetchFailure.retry("body ended after " + received + " of " + expected + " bytes"));
            } else {
                body.complete(null);
            }
        }
    }

    /** Bytes of the run in order, gathered into chunks; a full chunk goes to the executor. */
    private synchronized void accept(ByteBuffer data) {
        while (!ended && data.hasRemaining() && blockIndex < blocks.size()) {
            if (chunk == null) {
                int piece = blocks.get(blockIndex).piece();
                int bytes = 0;
                chunkEnd = blockIndex;
                while (chunkEnd < blocks.size() && blocks.get(chunkEnd).piece() == piece
                        && bytes + blocks.get(chunkEnd).length() <= MAX_CHUNK) {
                    bytes += blocks.get(chunkEnd++).length();
                }
                chunk = allocator.directBuffer(bytes, bytes);
                handedBytes = 0;
            }
            int take = Math.min(data.remaining(), chunk.writableBytes());
            ByteBuffer slice = data.slice();
            slice.limit(take);
            chunk.writeBytes(slice);
            data.position(data.position() + take);
            if (!chunk.isWritable()) {
                if (handedBytes == 0) {
                    hand(blockIndex, chunkEnd, chunk); // the whole chunk: the torrent may keep it as the piece's buffer
                } else {
                    hand(blockIndex, chunkEnd, chunk.retainedSlice(handedBytes, chunk.writerIndex() - handedBytes));
                    chunk.release();
                }
                chunk = null;
                blockIndex = chunkEnd;
                lastHandNanos = System.nanoTime();
            } else if (System.nanoTime() - lastHandNanos > HAND_EVERY_NANOS) {
                int to = wholeBlocks(blockIndex, chunkEnd, chunk.writerIndex() - handedBytes);
                if (to > blockIndex) {
                    int bytes = bytesOf(blockIndex, to);
                    hand(blockIndex, to, chunk.retainedSlice(handedBytes, bytes));
                    handedBytes += bytes;
                    blockIndex = to;
                    lastHandNanos = System.nanoTime();
                }
            }
        }
    }

    /** The end of the blocks from {@code from} (before {@code end}) that {@code available} bytes hold whole. */
    private int wholeBlocks(int from, int end, int available) {
        int to = from;
        for (int bytes = 0; to < end && bytes + blocks.get(to).length() <= available; to++) {
            bytes += blocks.get(to).length();
        }
        return to;
    }

    private int bytesOf(int from, int to) {
        return blocks.subList(from, to).stream().mapToInt(BlockRequest::length).sum();
    }

    /** Blocks {@code [from, to)}, back to back in {@code data}, to the listener on the executor. */
    private void hand(int from, int to, ByteBuf data) {
        List<BlockRequest> handed = blocks.subList(from, to);
        executor.execute(() -> deliver(handed, data));
    }

    /** On the executor. */
    private void deliver(List<BlockRequest> handed, ByteBuf data) {
        if (ended) {
            data.release();
        } else {
            delivered += handed.size();
            listener.blocks(this, handed, data);
        }
    }

    private void end(FetchFailure failure) {
        executor.execute(() -> {
            if (ended) {
                return;
            }
            deliverWholeBlocksOfChunk();
            ended = true;
            listener.finished(this, failure, blocks.subList(delivered, blocks.size()));
        });
    }

    /** The run ends: the blocks of the chunk being filled that arrived whole still count; on the executor. */
    private void deliverWholeBlocksOfChunk() {
        ByteBuf partial;
        int from;
        int to;
        int handed;
        synchronized (this) {
            partial = chunk;
            from = blockIndex;
            handed = handedBytes;
            to = partial == null ? from : wholeBlocks(from, chunkEnd, partial.writerIndex() - handed);
            chunk = null;
            blockIndex = blocks.size(); // a body still streaming in adds nothing more
        }
        if (partial == null) {
            return;
        }
        // only right after the blocks before it (a chunk handed while an abort ended the run is dropped)
        if (to > from && from == delivered) {
            deliver(blocks.subList(from, to), partial.retainedSlice(handed, bytesOf(from, to)));
        }
        partial.release();
    }

    private synchronized void releasePartial() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }
}
