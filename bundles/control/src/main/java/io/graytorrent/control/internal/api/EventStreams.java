package io.graytorrent.control.internal.api;

import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.json.StatusJson;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Router;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: Server-Sent Events, so clients need not poll. A stream starts with
 * {@code hello} (every torrent); then once a second the changes since the last tick ({@code added},
 * {@code removed}, {@code state}), a {@code tick} with each torrent's progress, rates and labels, and
 * {@code stats}. Every torrent in them carries its {@code labels}. Each stream may have at most {@code maxBufferedBytes} waiting in our memory: a
 * client that reads slower than that is disconnected, never buffered for without bound.
 */
public final class EventStreams implements AutoCloseable {
    static final String PATH = "/api/v1/events";
    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    /** What changes while a torrent runs; name and sizes too, since a magnet link learns them with its metadata. */
    private static final List<String> TICK_FIELDS = List.of("id", "name", "state", "progress", "totalBytes",
            "wantedBytes", "downloadRate", "uploadRate", "peers", "seeds", "eta");

    private final Supplier<List<TorrentStatus>> torrents;
    private final IntFunction<Set<String>> labels;
    private final int maxStreams;
    private final int maxBufferedBytes;
    private final Set<Channel> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("gray-events", true));
    /** Each torrent's state at the last tick; touched only on the timer thread. */
    private Map<Integer, TorrentState> lastStates;

    public EventStreams(Supplier<List<TorrentStatus>> torrents, int maxStreams, int maxBufferedBytes, long tickMillis) {
        this(torrents, id -> Set.of(), maxStreams, maxBufferedBytes, tickMillis);
    }

    /** {@code labels}: a torrent's labels by its id, none for an unknown one. */
    public EventStreams(Supplier<List<TorrentStatus>> torrents, IntFunction<Set<String>> labels, int maxStreams,
            int maxBufferedBytes, long tickMillis) {
        this.torrents = torrents;
        this.labels = labels;
        this.maxStreams = maxStreams;
        this.maxBufferedBytes = maxBufferedBytes;
        timer.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, PATH, Router.Access.SIGNED_IN, request -> this::open);
    }

    int openStreams() {
        return streams.size();
    }

    private synchronized void open(ChannelHandlerContext ctx) {
        if (streams.size() >= maxStreams) {
            JsonReply.error(HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_streams",
                    "at most " + maxStreams + " event streams at once").send(ctx);
            return;
        }
        Channel channel = ctx.channel();
        // the client sends nothing more; one that stops reading is caught by the write buffer
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(maxBufferedBytes / 2, maxBufferedBytes));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.write(head);
        StringBuilder hello = new StringBuilder();
        event(hello, "hello", Map.of("torrents", torrents.get().stream().map(t -> labelled(t, StatusJson.torrent(t))).toList()));
        ctx.writeAndFlush(chunk(hello));
        streams.add(channel);
        channel.closeFuture().addListener(closed -> streams.remove(channel));
    }

    private void tick() {
        try {
            if (streams.isEmpty()) {
                lastStates = null;
                return;
            }
            List<TorrentStatus> now = torrents.get();
            StringBuilder events = new StringBuilder();
            changes(events, now);
            event(events, "tick", Map.of("torrents", now.stream()
                    .map(t -> labelled(t, StatusJson.torrent(t, TICK_FIELDS))).toList()));
            event(events, "stats", TorrentJson.stats(now));
            events.append(": keepalive\n\n");
            for (Channel stream : streams) {
                if (stream.isWritable()) {
                    stream.writeAndFlush(chunk(events));
                } else {
                    LOG.info("dropping event stream {}: its client reads too slowly", stream.remoteAddress());
                    stream.close();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("event tick failed", e);
        }
    }

    /** added / removed / state events against the last tick (none on the first tick of a stream). */
    private void changes(StringBuilder events, List<TorrentStatus> now) {
        Map<Integer, TorrentState> states = new HashMap<>();
        for (TorrentStatus torrent : now) {
            states.put(torrent.id(), torrent.state());
            TorrentState before = lastStates == null ? torrent.state() : lastStates.get(torrent.id());
            if (before == null) {
                event(events, "added", labelled(torrent, StatusJson.torrent(torrent)));
            } else if (before != torrent.state()) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("id", torrent.id());
                change.put("state", StatusJson.state(torrent.state()));
                change.put("previous", StatusJson.state(before));
                event(events, "state", change);
            }
        }
        if (lastStates != null) {
            lastStates.keySet().stream().filter(id -> !states.containsKey(id)).sorted()
                    .forEach(id -> event(events, "removed", Map.of("id", id)));
        }
        lastStates = states;
    }

    private Map<String, Object> labelled(TorrentStatus torrent, Map<String, Object> json) {
        json.put("labels", labels.apply(torrent.id()));
        return json;
    }

    private static void event(StringBuilder events, String type, Object data) {
        events.append("event: ").append(type).append("\ndata: ")
                .append(new String(JsonReply.toJson(data), StandardCharsets.UTF_8)).append("\n\n");
    }

    private static DefaultHttpContent chunk(CharSequence text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        streams.forEach(Channel::close);
    }
}
