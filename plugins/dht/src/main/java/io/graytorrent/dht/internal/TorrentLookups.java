package io.graytorrent.dht.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * The DHT as a peer source: a get_peers lookup for every running torrent, announcing our port to
 * the closest nodes that gave a token, repeated every 15 minutes; sooner (from one minute on,
 * doubling) while a torrent we download finds few peers, as a magnet link still waiting for its
 * metadata. A seed is looked up every 15 minutes however few peers it finds: it looks for nobody,
 * it announces. A lookup that cannot start (no nodes known yet, too many running) is tried again at
 * the next tick, and the free slots go first to torrents never looked up, then to those we
 * download, then to the longest overdue: with thousands of torrents due at once (a server's start),
 * a magnet link added meanwhile waits for one lookup to finish, not for all of them. Not
 * thread-safe: called on the node's thread, like the {@link DhtNode} it drives.
 */
final class TorrentLookups {
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(15);
    static final long FIRST_RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Fewer peers than this from a round of lookups brings the next round forward. */
    static final int FEW_PEERS = 8;

    private final DhtNode node;
    private final LongSupplier nanos;
    /** Whether announcing this listen port may say implied_port: it is the DHT socket's own port. */
    private final IntPredicate impliedPort;
    private final Map<InfoHash, Torrent> torrents = new HashMap<>();
    private long lookupsStarted;

    private static final class Torrent {
        RunningTorrent running;
        Consumer<InetSocketAddress> found;
        long dueAt;
        boolean lookedUp;
        long retryNanos = FIRST_RETRY_NANOS;
        int lookupsInFlight;
        int peersThisRound;

        Torrent(RunningTorrent running, Consumer<InetSocketAddress> found, long dueAt) {
            this.running = running;
            this.found = found;
            this.dueAt = dueAt;
        }
    }

    TorrentLookups(DhtNode node, LongSupplier nanos, IntPredicate impliedPort) {
        this.node = node;
        this.nanos = nanos;
        this.impliedPort = impliedPort;
    }

    /** A torrent to look up now, or one already known that changed (it keeps its schedule). */
    void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
        Torrent known = torrents.get(torrent.infoHash());
        if (known != null) {
            known.running = torrent;
            known.found = found;
            return;
        }
        torrents.put(torrent.infoHash(), new Torrent(torrent, found, nanos.getAsLong()));
        lookUpDue();
    }

    /** Forgets the torrent: lookups already running finish without telling anyone. */
    void stop(InfoHash infoHash) {
        torrents.remove(infoHash);
    }

    /** Starts the lookups that are due, as many as the node runs, in order of {@link #URGENCY}; run on every tick of the node. */
    void lookUpDue() {
        if (!node.lookupSlotFree() || node.table(false).size() + node.table(true).size() == 0) {
            return;
        }
        long now = nanos.getAsLong();
        List<Torrent> due = new ArrayList<>();
        for (Torrent torrent : torrents.values()) {
            if (torrent.lookupsInFlight == 0 && now - torrent.dueAt >= 0) {
                due.add(torrent);
            }
        }
        due.sort(URGENCY);
        for (Torrent torrent : due) {
            if (!node.lookupSlotFree()) {
                return;
            }
            lookUp(torrent);
        }
    }

    /** Never looked up first, then torrents we download (they need peers), then the longest overdue. */
    private static final Comparator<Torrent> URGENCY = Comparator.<Torrent, Boolean>comparing(t -> t.lookedUp)
            .thenComparing(t -> t.running.seeding()).thenComparingLong(t -> t.dueAt);

    /** The same torrents, looked up afresh on {@code fresh}; this one forgets them, so its lookups end unheard. */
    TorrentLookups movedTo(DhtNode fresh) {
        TorrentLookups moved = new TorrentLookups(fresh, nanos, impliedPort);
        long now = nanos.getAsLong();
        torrents.forEach((infoHash, torrent) -> {
            torrent.lookupsInFlight = 0;
            torrent.dueAt = now;
            moved.torrents.put(infoHash, torrent);
        });
        moved.lookupsStarted = lookupsStarted;
        torrents.clear(); // lookups still running here end unheard
        return moved;
    }

    int torrentCount() {
        return torrents.size();
    }

    long lookupsStarted() {
        return lookupsStarted;
    }

    private void lookUp(Torrent torrent) {
        NodeId target = NodeId.of(torrent.running.infoHash().toBytes());
        int listenPort = torrent.running.listenPort();
        int announcePort = listenPort == 0 ? -1 : impliedPort.test(listenPort) ? 0 : listenPort;
        torrent.peersThisRound = 0;
        torrent.lookedUp = true;
        for (boolean v6 : new boolean[] {false, true}) {
            if (node.table(v6).size() > 0 && node.lookup(target, v6, true, announcePort, !torrent.running.seeding(),
                    peers -> found(torrent, peers), done -> finished(torrent))) {
                torrent.lookupsInFlight++;
                lookupsStarted++;
            }
        }
    }

    /** The new peers of one answer; a stopped torrent hears of none. */
    private void found(Torrent torrent, List<InetSocketAddress> peers) {
        torrent.peersThisRound += peers.size();
        if (torrents.get(torrent.running.infoHash()) == torrent) {
            peers.forEach(torrent.found);
        }
    }

    private void finished(Torrent torrent) {
        if (torrents.get(torrent.running.infoHash()) != torrent) {
            return; // stopped, or moved to another node meanwhile
        }
        torrent.lookupsInFlight--;
        if (torrent.lookupsInFlight > 0) {
            return;
        }
        if (torrent.peersThisRound >= FEW_PEERS || torrent.running.seeding()) {
            torrent.retryNanos = FIRST_RETRY_NANOS;
            torrent.dueAt = nanos.getAsLong() + INTERVAL_NANOS;
        } else {
            torrent.dueAt = nanos.getAsLong() + torrent.retryNanos;
            torrent.retryNanos = Math.min(INTERVAL_NANOS, torrent.retryNanos * 2);
        }
    }
}
