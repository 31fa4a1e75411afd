package io.graytorrent.core.internal.webseed;

import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.swarm.Swarm;
import io.graytorrent.metainfo.Metainfo;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web seeds of one running torrent: its {@code url-list} (BEP 19, which holds a magnet link's
 * {@code ws=} once the metadata is known), then its {@code httpseeds} (BEP 17): made with its swarm, ticked with it, closed with it.
 * Owned by the torrent's executor.
 */
public final class WebSeeds {
    private static final Logger LOG = LoggerFactory.getLogger(WebSeeds.class);
    /** Duplicate URLs aside, a torrent's seeds (of both kinds) beyond this many are ignored. */
    private static final int MAX_SEEDS = 32;

    private final Swarm swarm;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final RateLimits limits;
    private final WebSeedSettings settings;
    /** Asked only when a seed fetches: a torrent without web seeds, most of them, never builds the client. */
    private final Supplier<HttpClient> client;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final List<WebSeed> seeds = new ArrayList<>();

    /** {@code limits}: the torrent's download limits, which the seeds' bodies are read within. */
    public WebSeeds(Metainfo metainfo, Swarm swarm, Executor executor, ScheduledExecutorService timer,
            RateLimits limits, WebSeedSettings settings, Supplier<HttpClient> client) {
        this.swarm = swarm;
        this.executor = executor;
        this.timer = timer;
        this.limits = limits;
        this.settings = settings;
        this.client = client;
        for (String url : new LinkedHashSet<>(metainfo.webSeeds())) {
            add(metainfo, url, () -> new WebSeedFiles(metainfo, url));
        }
        for (String url : metainfo.httpSeeds()) {
            add(metainfo, url, () -> new HttpSeedPieces(metainfo, url));
        }
        seeds.forEach(WebSeed::join);
        seeds.forEach(WebSeed::fill);
    }

    private void add(Metainfo metainfo, String url, Supplier<SeedLayout> layout) {
        if (seeds.size() == MAX_SEEDS) {
            return;
        }
        try {
            seeds.add(new WebSeed(url, layout.get(), metainfo, this));
        } catch (IllegalArgumentException e) {
            LOG.info("torrent {}: web seed ignored: {}", metainfo.name(), e.getMessage());
        }
    }

    /** The engine's one HTTP client for web seeds: HTTP/1.1 on persistent connections, redirects followed (5 at most). */
    public static HttpClient sharedClient() {
        return SharedClient.CLIENT;
    }

    private static final class SharedClient {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Every second: rates, stalled requests, back-offs ending, free connections put to work. */
    public void tick() {
        long now = System.nanoTime();
        seeds.forEach(seed -> seed.tick(now));
    }

    /** More is wanted (file priorities changed, a piece failed): idle seeds look again. */
    public void wake() {
        seeds.forEach(WebSeed::fill);
    }

    public void close() {
        seeds.forEach(WebSeed::close);
    }

    public List<WebSeedStatus> statuses() {
        return seeds.stream().map(WebSeed::status).toList();
    }

    Swarm swarm() {
        return swarm;
    }

    WebSeedSettings settings() {
        return settings;
    }

    RangeFetch newFetch(SeedLayout files, List<BlockRequest> run, long start, Consumer<Integer> bytesReceived,
            RangeFetch.Listener listener) {
        return new RangeFetch(client.get(), files, run, start, executor, timer, limits, settings, allocator, bytesReceived,
                listener);
    }
}
