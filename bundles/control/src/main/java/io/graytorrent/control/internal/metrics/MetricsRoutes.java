package io.graytorrent.control.internal.metrics;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.BlocklistStatus;
import io.graytorrent.api.DhtService;
import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.graytorrent.storage.DiskPool;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the engine's state for Prometheus, behind the same token as the API. While
 * there is no engine, the torrent families are present with zeros and {@code graytorrent_engine_up} is 0,
 * so a scrape never fails for it. The disk queue's families are there while the storage service is,
 * the DHT's while the DHT plugin runs.
 */
public final class MetricsRoutes {
    public static final String PATH = "/metrics";

    private final Supplier<TorrentService> engine;
    private final Supplier<DiskPool> disk;
    private final Supplier<DhtService> dht;
    private final Supplier<BlocklistService> blocklist;

    public MetricsRoutes(Supplier<TorrentService> engine) {
        this(engine, () -> null, () -> null, () -> null);
    }

    /** {@code disk}, {@code dht} and {@code blocklist} answer null while there is none (a blocklist: none configured). */
    public MetricsRoutes(Supplier<TorrentService> engine, Supplier<DiskPool> disk, Supplier<DhtService> dht,
            Supplier<BlocklistService> blocklist) {
        this.engine = engine;
        this.disk = disk;
        this.dht = dht;
        this.blocklist = blocklist;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, PATH, Router.Access.SIGNED_IN, request -> text(scrape()));
    }

    String scrape() {
        TorrentService torrents = engine.get();
        List<TorrentStatus> list = torrents == null ? List.of() : torrents.list();
        PrometheusText text = new PrometheusText();
        text.family("graytorrent_engine_up", "gauge", "1 while the torrent engine runs, 0 while it is restarting")
                .sample("graytorrent_engine_up", torrents == null ? 0 : 1);
        torrentMetrics(text, list);
        peerMetrics(text, torrents, list);
        diskMetrics(text, disk.get());
        dhtMetrics(text, dht.get());
        blocklistMetrics(text, blocklist.get());
        jvmMetrics(text);
        return text.toString();
    }

    /** Present with zeros while no list is configured, so that a dashboard's queries always find them. */
    private static void blocklistMetrics(PrometheusText text, BlocklistService list) {
        BlocklistStatus status = list == null ? null : list.status();
        text.labelled("graytorrent_blocklist_ranges", "gauge", "Address ranges on the IP blocklist, merged", "family",
                        new TreeMap<>(Map.of("ipv4", status == null ? 0 : status.ipv4Ranges(), "ipv6", status == null ? 0 : status.ipv6Ranges())))
                .family("graytorrent_blocklist_refused_total", "counter",
                        "Peers refused for the IP blocklist: candidates not dialled and incoming connections closed")
                .sample("graytorrent_blocklist_refused_total", status == null ? 0 : status.refused())
                .family("graytorrent_blocklist_lines_skipped", "gauge", "Lines of the loaded lists that were no valid range")
                .sample("graytorrent_blocklist_lines_skipped", status == null ? 0 : status.linesSkipped());
    }

    private static void torrentMetrics(PrometheusText text, List<TorrentStatus> list) {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (TorrentState state : TorrentState.values()) {
            byState.put(state.name().toLowerCase(Locale.ROOT), 0L);
        }
        long downloadRate = 0;
        long uploadRate = 0;
        long downloaded = 0;
        long uploaded = 0;
        long wanted = 0;
        long verified = 0;
        for (TorrentStatus status : list) {
            byState.merge(status.state().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
            downloadRate += status.downloadRate();
            uploadRate += status.uploadRate();
            downloaded += status.downloaded();
            uploaded += status.uploaded();
            wanted += status.wantedBytes();
            verified += status.verifiedBytes();
        }
        text.labelled("graytorrent_torrents", "gauge", "Torrents by state", "state", byState)
                .family("graytorrent_download_rate_bytes", "gauge", "Payload bytes per second received, all torrents")
                .sample("graytorrent_download_rate_bytes", downloadRate)
                .family("graytorrent_upload_rate_bytes", "gauge", "Payload bytes per second sent, all torrents")
                .sample("graytorrent_upload_rate_bytes", uploadRate)
                .family("graytorrent_downloaded_bytes_total", "counter",
                        "Payload bytes received by the torrents now present, kept across restarts")
                .sample("graytorrent_downloaded_bytes_total", downloaded)
                .family("graytorrent_uploaded_bytes_total", "counter",
                        "Payload bytes sent by the torrents now present, kept across restarts")
                .sample("graytorrent_uploaded_bytes_total", uploaded)
                .family("graytorrent_wanted_bytes", "gauge", "Size of the files not skipped, all torrents")
                .sample("graytorrent_wanted_bytes", wanted)
                .family("graytorrent_verified_bytes", "gauge", "Bytes of wanted files in verified pieces, all torrents")
                .sample("graytorrent_verified_bytes", verified);
    }

    private static void peerMetrics(PrometheusText text, TorrentService torrents, List<TorrentStatus> list) {
        Map<String, Long> bySource = new LinkedHashMap<>();
        for (PeerOrigin origin : PeerOrigin.values()) {
            bySource.put(origin.label(), 0L);
        }
        Map<String, Long> byEncryption = new LinkedHashMap<>();
        for (String encryption : List.of("plaintext", "plaintext-after-mse", "rc4")) {
            byEncryption.put(encryption, 0L);
        }
        Map<String, Long> byDirection = new LinkedHashMap<>(Map.of("outgoing", 0L, "incoming", 0L));
        Map<String, Long> byTransport = new LinkedHashMap<>();
        byTransport.put("tcp", 0L);
        byTransport.put("utp", 0L);
        for (TorrentStatus status : list) {
            if (status.peers() == 0) {
                continue;
            }
            for (PeerStatus peer : peersOf(torrents, status)) {
                bySource.merge(peer.source().label(), 1L, Long::sum);
                byEncryption.merge(peer.encryption(), 1L, Long::sum);
                byDirection.merge(peer.outgoing() ? "outgoing" : "incoming", 1L, Long::sum);
                // flag P: over uTP (the flags of gray peers and the API)
                byTransport.merge(peer.flags().indexOf('P') >= 0 ? "utp" : "tcp", 1L, Long::sum);
            }
        }
        text.labelled("graytorrent_peers_by_source", "gauge", "Connected peers by where the engine learnt of them",
                        "source", bySource)
                .labelled("graytorrent_peers_by_encryption", "gauge", "Connected peers by the connection's encryption",
                        "encryption", byEncryption)
                .labelled("graytorrent_peers_by_direction", "gauge", "Connected peers by who opened the connection",
                        "direction", byDirection)
                .labelled("graytorrent_peers_by_transport", "gauge", "Connected peers by transport", "transport", byTransport);
    }

    private static void diskMetrics(PrometheusText text, DiskPool pool) {
        if (pool == null) {
            return;
        }
        text.family("graytorrent_disk_pending_bytes", "gauge",
                        "Bytes of writes (and pieces being hashed) queued for the disk and not done yet")
                .sample("graytorrent_disk_pending_bytes", pool.pendingBytes())
                .family("graytorrent_disk_overloaded", "gauge",
                        "1 while the disk queue is over its high watermark (reading from peers waits), else 0")
                .sample("graytorrent_disk_overloaded", pool.isOverloaded() ? 1 : 0);
    }

    private static void dhtMetrics(PrometheusText text, DhtService dht) {
        if (dht == null) {
            return;
        }
        DhtStatus status = dht.status();
        Map<String, Long> nodes = new LinkedHashMap<>();
        nodes.put("ipv4", (long) status.ipv4().nodes());
        nodes.put("ipv6", (long) status.ipv6().nodes());
        Map<String, Long> good = new LinkedHashMap<>();
        good.put("ipv4", (long) status.ipv4().good());
        good.put("ipv6", (long) status.ipv6().good());
        text.labelled("graytorrent_dht_nodes", "gauge", "Live nodes in the DHT's routing tables", "family", nodes)
                .labelled("graytorrent_dht_good_nodes", "gauge", "Nodes of the routing tables that answered within 15 minutes",
                        "family", good)
                .family("graytorrent_dht_lookups_running", "gauge", "DHT lookups under way")
                .sample("graytorrent_dht_lookups_running", status.lookupsRunning());
    }

    /** The torrent's peers; none when it was removed between the listing and this call. */
    private static List<PeerStatus> peersOf(TorrentService torrents, TorrentStatus status) {
        try {
            return torrents.peers(Integer.toString(status.id()));
        } catch (TorrentException gone) {
            return List.of();
        }
    }

    private static void jvmMetrics(PrometheusText text) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        Map<String, Long> used = new LinkedHashMap<>();
        used.put("heap", heap.getUsed());
        used.put("nonheap", nonHeap.getUsed());
        Map<String, Long> committed = new LinkedHashMap<>();
        committed.put("heap", heap.getCommitted());
        committed.put("nonheap", nonHeap.getCommitted());
        text.labelled("jvm_memory_used_bytes", "gauge", "Memory the JVM uses", "area", used)
                .labelled("jvm_memory_committed_bytes", "gauge", "Memory the JVM has from the system", "area", committed)
                .family("jvm_memory_max_bytes", "gauge", "Largest heap the JVM may use")
                .sample("jvm_memory_max_bytes", Map.of("area", "heap"), heap.getMax())
                .family("jvm_threads_live", "gauge", "Live threads")
                .sample("jvm_threads_live", ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static Reply text(String body) {
        return ctx -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        };
    }
}
