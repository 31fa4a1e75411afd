package io.graytorrent.core.internal.source;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.RunningTorrent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PeerSource} plugins present and the torrents that run: each source is told of every
 * running torrent it may hear of, also when it arrives after the torrent started. A private torrent
 * (BEP 27) is told to tracker sources only: the engine enforces it here, not the plugins. A plugin
 * that throws is logged and does not stop the torrent. Thread-safe.
 */
public final class PeerSources {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSources.class);

    private final List<PeerSource> sources = new CopyOnWriteArrayList<>();
    private final Map<InfoHash, Running> running = new ConcurrentHashMap<>();
    private volatile DhtService dht;
    /** The DHT's last status, reused for a second: every stalled torrent asks each second. */
    private volatile Cached cachedDht;

    private record Cached(DhtService service, DhtStatus status, long atNanos) {
    }

    /** A running torrent and where the peers found for it go, with their origin. */
    private record Running(RunningTorrent torrent, BiConsumer<InetSocketAddress, PeerOrigin> found) {
    }

    /** One runtime's registration of its torrent; stopping it does not undo a later registration of the same infohash. */
    public final class Registration {
        private final Running entry;

        private Registration(Running entry) {
            this.entry = entry;
        }

        public void stop() {
            InfoHash infoHash = entry.torrent().infoHash();
            if (running.remove(infoHash, entry)) {
                for (PeerSource source : sources) {
                    if (mayHearOf(source, entry.torrent())) {
                        guarded(source, "stop", () -> source.stop(infoHash));
                    }
                }
            }
        }
    }

    public void add(PeerSource source) {
        sources.add(source);
        running.values().forEach(torrent -> tell(source, torrent));
    }

    /** The plugin went away: it is told nothing more (its peers already found stay candidates). */
    public void remove(PeerSource source) {
        sources.remove(source);
    }

    /** The DHT plugin started (it is a peer source too; this is how the engine sees its state). */
    public void useDht(DhtService service) {
        dht = service;
    }

    public void dropDht(DhtService service) {
        if (dht == service) {
            dht = null;
        }
    }

    /** The running DHT's status, at most a second old; empty while no DHT plugin runs. */
    public Optional<DhtStatus> dht() {
        DhtService service = dht;
        if (service == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        Cached cached = cachedDht;
        if (cached == null || cached.service() != service || now - cached.atNanos() > 1_000_000_000L) {
            cached = new Cached(service, service.status(), now);
            cachedDht = cached;
        }
        return Optional.of(cached.status());
    }

    /** The torrent runs, or changed (became a seed): every source that may hear of it is told. */
    public Registration started(RunningTorrent torrent, BiConsumer<InetSocketAddress, PeerOrigin> found) {
        Running entry = new Running(torrent, found);
        running.put(torrent.infoHash(), entry);
        sources.forEach(source -> tell(source, entry));
        return new Registration(entry);
    }

    /** BEP 27: a private torrent's peers come from its trackers alone. */
    static boolean mayHearOf(PeerSource source, RunningTorrent torrent) {
        return !torrent.privateTorrent() || source.origin() == PeerOrigin.TRACKER;
    }

    private static void tell(PeerSource source, Running entry) {
        if (mayHearOf(source, entry.torrent())) {
            PeerOrigin origin = source.origin();
            guarded(source, "start", () -> source.start(entry.torrent(), peer -> entry.found().accept(peer, origin)));
        }
    }

    private static void guarded(PeerSource source, String call, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("peer source {} failed in {}", source, call, e);
        }
    }
}
