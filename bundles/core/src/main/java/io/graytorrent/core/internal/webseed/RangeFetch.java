package io.graytorrent.core.internal.webseed;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.webseed.SeedLayout.Answer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of contiguous blocks fetched from a web seed: one request per segment of its
 * {@link SeedLayout} (per file the run touches for BEP 19, per piece for BEP 17), one after another on the seed's
 * persistent connections ({@link HttpConnections}); the bodies are gathered per piece as they stream in, one copy
 * from the socket's pooled buffers. Everything the server says is checked: the status, the {@code Content-Range}
 * against what was asked, and the body's length (a longer one is cut off at once, a shorter one fails); the layout
 * says what a status means. Redirects are followed, {@link #MAX_REDIRECTS} per request at most and never from https
 * to http. The body is read only as the download limits allow: past them the connection stops reading (Netty's
 * auto-read off) until they are paid. A seed's tick aborts a run that stalls or crawls ({@link #checkProgress}).
 *
 * <p>Threads: started and checked on the torrent's executor; the exchanges run on their connection's event loop,
 * one after another; blocks and the outcome are handed to the executor.
 */
final class RangeFetch {
    private static final String USER_AGENT = "graytorrent";
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BlockRequest.BLOCK_SIZE)
            .writeZero(BlockRequest.BLOCK_SIZE)).asReadOnly();
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

    private final HttpConnections connections;
    private final SeedLayout layout;
    private final List<BlockRequest> blocks;
    private final long start;
    private final long length;
    private final Executor executor;
    private final RateLimits limits;
    private final WebSeedSettings settings;
    private final Listener listener;
    private final Consumer<Integer> bytesReceived;
    private final ByteBufAllocator allocator;
    private final long startedNanos = System.nanoTime();

    // written on the event loops (serially: one exchange at a time), read by checkProgress
    private volatile long lastProgressNanos = startedNanos;
    private volatile boolean waitingForLimit;
    /** Time spent waiting for the download limit, not the server's slowness. */
    private volatile long limitedNanos;
    /** The connection of the exchange under way, closed to stop it. */
    private volatile Channel channel;
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

    RangeFetch(HttpConnections connections, SeedLayout layout, List<BlockRequest> blocks, long start,
            Executor executor, RateLimits limits, WebSeedSettings settings, ByteBufAllocator allocator,
            Consumer<Integer> bytesReceived, Listener listener) {
        this.connections = connections;
        this.layout = layout;
        this.blocks = List.copyOf(blocks);
        this.start = start;
        this.length = blocks.stream().mapToLong(BlockRequest::length).sum();
        this.executor = executor;
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
        end(failure); // first: the closed connection reports its failure too
        stopExchange();
    }

    private void stopExchange() {
        Channel current = channel;
        if (current != null) {
            current.close();
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
            for (long left = segment.length(); left > 0; left -= ZEROS.capacity()) {
                accept(ZEROS.duplicate().writerIndex((int) Math.min(left, ZEROS.capacity())));
            }
            fetch(segments, index + 1);
            return;
        }
        SeedLayout.Request request = layout.request(segment);
        send(new Exchange(segments, index, request.range(), request.uri(), 0), true);
    }

    /** Sends {@code exchange}'s request on a connection of the seed; one that was idle may retry once on a new one. */
    private void send(Exchange exchange, boolean mayRetry) {
        lastProgressNanos = System.nanoTime();
        CompletableFuture<HttpConnections.Lease> leased;
        try {
            leased = connections.acquire(exchange.uri, settings.idleTimeout(), exchange);
        } catch (RuntimeException e) { // a URI without a host, say
            end(FetchFailure.violation(exchange.what() + ": " + e.getMessage()));
            return;
        }
        leased.whenComplete((lease, failure) -> {
            if (failure != null) {
                exchange.failed(failure);
            } else {
                lease.channel().eventLoop().execute(() -> exchange.begin(lease, mayRetry));
            }
        });
    }

    /** A status neither layout reads: a redirect not followed, another 5xx (back off), anything else (a violation). */
    static FetchFailure otherStatus(String what, int status) {
        if (status >= 300 && status < 400) {
            return FetchFailure.violation(what + ", a redirect not followed (a loop, too many, or to http from https)");
        }
        return status >= 500 ? FetchFailure.retry(what) : FetchFailure.violation(what);
    }

    /** One request of the run and its response, on its connection's event loop once begun. */
    private final class Exchange implements HttpConnections.Exchange {
        private final List<SeedLayout.Segment> segments;
        private final int index;
        private final Optional<String> range;
        private final URI uri;
        private final int redirects;
        private Channel connection;
        private boolean reused;
        private boolean mayRetry;
        private boolean over;
        private Answer answer;
        private boolean keepAlive;
        private long received;
        private ByteBuf text;
        /** Bytes read beyond what the download limits have let through yet; reading stops until they are paid. */
        private long owed;
        private long waitStartedNanos;
        /** The body ended while its last bytes were owed: the exchange completes once paid. */
        private boolean endedWhileOwing;

        Exchange(List<SeedLayout.Segment> segments, int index, Optional<String> range, URI uri, int redirects) {
            this.segments = segments;
            this.index = index;
            this.range = range;
            this.uri = uri;
            this.redirects = redirects;
        }

        String what() {
            return layout.describe(segments.get(index).unit());
        }

        void begin(HttpConnections.Lease lease, boolean mayRetry) {
            connection = lease.channel();
            reused = lease.reused();
            this.mayRetry = mayRetry;
            if (over) { // failed while the connection was being made
                connection.close();
                return;
            }
            channel = connection;
            if (ended) {
                connection.close();
                return;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(), Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost())
                    .set(HttpHeaderNames.USER_AGENT, USER_AGENT);
            range.ifPresent(value -> request.headers().set(HttpHeaderNames.RANGE, value));
            connection.config().setAutoRead(true);
            connection.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    failed(written.cause());
                }
            });
        }

        @Override
        public void read(HttpObject message) {
            if (over) {
                return;
            }
            if (message.decoderResult().isFailure()) {
                fail(FetchFailure.violation(what() + ": not HTTP (" + message.decoderResult().cause().getMessage() + ")"));
                return;
            }
            lastProgressNanos = System.nanoTime();
            if (message instanceof HttpResponse response && !response(response)) {
                return;
            }
            if (message instanceof HttpContent content && content.content().isReadable()) {
                body(content.content());
            }
            if (!over && message instanceof LastHttpContent) {
                if (answer instanceof Answer.ReadThenFail wait) {
                    fail(wait.failure().apply(Optional.of(text.toString(StandardCharsets.US_ASCII))));
                } else if (owed > 0) {
                    endedWhileOwing = true; // the limit holds the run back as it would hold reading
                } else {
                    complete();
                }
            }
        }

        /** The status and headers: false when nothing more of this response is read. */
        private boolean response(HttpResponse response) {
            int status = response.status().code();
            keepAlive = HttpUtil.isKeepAlive(response);
            String location = response.headers().get(HttpHeaderNames.LOCATION);
            if (REDIRECTS.contains(status) && location != null && redirects < MAX_REDIRECTS) {
                URI target;
                try {
                    target = uri.resolve(location.strip());
                } catch (IllegalArgumentException e) {
                    fail(FetchFailure.violation(what() + ": HTTP " + status + " to a malformed Location"));
                    return false;
                }
                String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
                boolean downgrade = "https".equalsIgnoreCase(uri.getScheme()) && !scheme.equals("https");
                if (!downgrade && (scheme.equals("http") || scheme.equals("https")) && target.getHost() != null) {
                    over = true;
                    connection.close(); // its body is not read: it may not end
                    send(new Exchange(segments, index, range, target, redirects + 1), true);
                    return false;
                }
            }
            answer = layout.answer(segments.get(index), status, response.headers());
            if (answer instanceof Answer.Refuse refuse) {
                fail(refuse.failure());
                return false;
            }
            if (answer instanceof Answer.ReadThenFail wait) {
                text = Unpooled.buffer(wait.maxBytes(), wait.maxBytes());
            }
            return true;
        }

        private void body(ByteBuf content) {
            int bytes = content.readableBytes();
            if (answer instanceof Answer.ReadThenFail wait) {
                if (bytes > text.writableBytes()) {
                    fail(wait.failure().apply(Optional.empty()));
                } else {
                    text.writeBytes(content);
                }
                return;
            }
            long expected = ((Answer.Body) answer).bytes();
            if (received + bytes > expected) {
                fail(FetchFailure.violation("body longer than the " + expected + " bytes asked"));
                return;
            }
            received += bytes;
            bytesReceived.accept(bytes); // counted before a block it completes can complete the torrent
            accept(content);
            if (owed > 0) {
                owed += bytes;
                return;
            }
            owed = bytes - limits.take(bytes);
            if (owed > 0) {
                waitingForLimit = true;
                waitStartedNanos = System.nanoTime();
                connection.config().setAutoRead(false); // the socket waits, not a buffer of ours
                payThenRead();
            }
        }

        private void payThenRead() {
            connection.eventLoop().schedule(() -> {
                owed -= limits.take(owed);
                if (owed > 0) {
                    payThenRead();
                    return;
                }
                lastProgressNanos = System.nanoTime();
                limitedNanos += lastProgressNanos - waitStartedNanos;
                waitingForLimit = false;
                if (over) {
                    return;
                }
                if (endedWhileOwing) {
                    complete();
                } else {
                    connection.config().setAutoRead(true);
                }
            }, Math.max(1, limits.nanosUntilAvailable(owed)), TimeUnit.NANOSECONDS);
        }

        private void complete() {
            long expected = ((Answer.Body) answer).bytes();
            if (received < expected) {
                fail(FetchFailure.retry("body ended after " + received + " of " + expected + " bytes"));
                return;
            }
            over = true;
            channel = null;
            if (keepAlive) {
                connections.release(connection);
            } else {
                connection.close();
            }
            fetch(segments, index + 1);
        }

        @Override
        public void failed(Throwable cause) {
            if (over) {
                return;
            }
            if (reused && mayRetry && answer == null && !ended) {
                over = true; // an idle connection the server closed meanwhile: once more, on a new one
                send(new Exchange(segments, index, range, uri, redirects), false);
                return;
            }
            if (answer instanceof Answer.Body body && cause instanceof IOException && received < body.bytes()) {
                fail(FetchFailure.retry("body ended after " + received + " of " + body.bytes() + " bytes"));
            } else {
                fail(FetchFailure.of(cause));
            }
        }

        private void fail(FetchFailure failure) {
            over = true;
            waitingForLimit = false;
            if (text != null) {
                text.release();
                text = null;
            }
            end(failure);
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Bytes of the run in order, gathered into chunks (the one copy); a full chunk goes to the executor. */
    private synchronized void accept(ByteBuf data) {
        while (!ended && data.isReadable() && blockIndex < blocks.size()) {
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
            chunk.writeBytes(data, Math.min(data.readableBytes(), chunk.writableBytes()));
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
