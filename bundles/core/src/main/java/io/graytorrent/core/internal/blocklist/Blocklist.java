package io.graytorrent.core.internal.blocklist;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.BlocklistStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocklist in force: loaded from its sources (files and http(s) URLs, read in order into one list)
 * at start and again every {@code refresh}. A load replaces the list only if every source was read
 * whole; otherwise the list before it stays in force and the failure is reported. A new list in force
 * is announced to the load listeners (the engine closes connections it now blocks). Lookups read one
 * immutable {@link IpRanges} snapshot and take no lock. Thread-safe.
 */
public final class Blocklist implements BlocklistService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Blocklist.class);
    /** The most a URL's body may hold (a compressed body is bounded again by the ranges cap while it is read). */
    static final long MAX_DOWNLOAD_BYTES = 256L << 20;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);

    private volatile List<String> sources = List.of();
    private final BlocklistParser parser;
    private final AtomicLong refused = new AtomicLong();
    private final List<Runnable> loadListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile Loaded loaded = new Loaded(IpRanges.EMPTY, "", 0, 0);
    private volatile String lastError = "";
    private ScheduledFuture<?> loads;

    private record Loaded(IpRanges ranges, String at, long lines, long skipped) {
    }

    /** Loads {@code sources} now, on a thread of its own, then every {@code refresh} (none when zero). */
    public Blocklist(List<String> sources, Duration refresh, BlocklistParser parser) {
        this.parser = parser;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gray blocklist");
            thread.setDaemon(true);
            return thread;
        });
        configure(sources, refresh);
    }

    /**
     * New sources or a new period: loaded now, the list in force staying until the new one is read
     * (no moment without a list); no sources at all empty it.
     */
    public synchronized void configure(List<String> sources, Duration refresh) {
        if (loads != null) {
            loads.cancel(false);
        }
        this.sources = List.copyOf(sources);
        loads = refresh.isZero() ? timer.schedule(this::reload, 0, TimeUnit.MILLISECONDS)
                : timer.scheduleWithFixedDelay(this::reload, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads every source again; the new list replaces the old only if all were read. Never throws. */
    public void reload() {
        List<String> sources = this.sources;
        IpRanges.Builder builder = new IpRanges.Builder();
        long lines = 0;
        long skipped = 0;
        for (String source : sources) {
            try (InputStream in = open(source)) {
                long[] counts = parser.read(in, builder);
                if (counts[0] > 0 && counts[1] == counts[0]) {
                    throw new BlocklistException("no valid range in " + counts[0] + " lines");
                }
                lines += counts[0];
                skipped += counts[1];
            } catch (IOException | BlocklistException | RuntimeException e) {
                lastError = source + ": " + e.getMessage();
                LOG.warn("blocklist not reloaded, the list loaded before stays in force: {}", lastError);
                return;
            }
        }
        IpRanges ranges = builder.build();
        loaded = new Loaded(ranges, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), lines, skipped);
        lastError = "";
        LOG.info("blocklist loaded: {} IPv4 and {} IPv6 ranges from {} lines ({} skipped)", ranges.ipv4Ranges(),
                ranges.ipv6Ranges(), lines, skipped);
        for (Runnable listener : loadListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a blocklist listener failed on the new list", e);
            }
        }
    }

    private static InputStream open(String source) throws IOException {
        if (!source.startsWith("http://") && !source.startsWith("https://")) {
            return Files.newInputStream(Path.of(source));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(source)).timeout(HTTP_TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            return new BoundedInputStream(response.body(), MAX_DOWNLOAD_BYTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public boolean blocks(InetAddress address) {
        return loaded.ranges().contains(address);
    }

    @Override
    public void refused(InetAddress address) {
        refused.incrementAndGet();
        LOG.debug("refused {}: on the blocklist", address);
    }

    @Override
    public BlocklistStatus status() {
        Loaded now = loaded;
        return new BlocklistStatus(sources, now.ranges().ipv4Ranges(), now.ranges().ipv6Ranges(), now.at(), now.lines(),
                now.skipped(), lastError, refused.get());
    }

    @Override
    public void addLoadListener(Runnable listener) {
        loadListeners.add(listener);
    }

    @Override
    public void removeLoadListener(Runnable listener) {
        loadListeners.remove(listener);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
