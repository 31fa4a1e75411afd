package io.graytorrent.dht.internal;

import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DhtNode} at work: datagrams come from the shared socket's delivery thread, time from a
 * thread of its own that ticks the node every 250 ms and saves the good nodes every five minutes,
 * torrents from the engine; one lock keeps them from overlapping, since the node is not
 * thread-safe. Once the answering nodes agree on our external address and our id does not fit it
 * (BEP 42), a node with a fitting id takes over, joining through the old one's nodes.
 */
final class RunningDht implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningDht.class);
    private static final long TICK_MILLIS = 250;
    private static final long SAVE_MINUTES = 5;
    private static final long REJOIN_SECONDS = 60;

    private final DhtSettings settings;
    private final DatagramTransport transport;
    private final IntPredicate impliedPort;
    private final Path nodesFile;
    private final List<InetSocketAddress> savedNodes;
    private final Supplier<List<InetSocketAddress>> bootstrap;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService clock;
    private final Object lock = new Object();
    private DhtNode node;
    private TorrentLookups torrents;

    /**
     * A node with the id saved in {@code nodesFile} (else a random one) that, once {@link #begin begun}, joins
     * through the nodes saved there and those {@code bootstrap} resolves (on the node's clock thread).
     */
    RunningDht(DhtSettings settings, DatagramTransport transport, IntPredicate impliedPort, Path nodesFile,
            Supplier<List<InetSocketAddress>> bootstrap) {
        this.settings = settings;
        this.transport = transport;
        this.impliedPort = impliedPort;
        this.nodesFile = nodesFile;
        NodesFile.Saved saved = loadSaved();
        NodeId id = saved != null ? saved.id() : NodeId.random(random);
        node = newNode(id);
        torrents = new TorrentLookups(node, System::nanoTime, impliedPort);
        clock = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "graytorrent-dht");
            thread.setDaemon(true);
            return thread;
        });
        savedNodes = saved == null ? List.of() : saved.nodes().stream().map(NodeInfo::address).toList();
        this.bootstrap = bootstrap;
    }

    /**
     * Joins and runs the node's timers. Separate from the constructor so that whoever hands the node
     * its datagrams holds it before the first query leaves: an answer arriving earlier would be lost,
     * and the next join attempt is a minute away.
     */
    void begin() {
        clock.scheduleWithFixedDelay(() -> joinIfAlone(savedNodes, bootstrap), 0, REJOIN_SECONDS, TimeUnit.SECONDS);
        clock.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        clock.scheduleWithFixedDelay(this::save, SAVE_MINUTES, SAVE_MINUTES, TimeUnit.MINUTES);
    }

    /**
     * Joins through the saved and bootstrap nodes while no node is known: at start, and again every
     * minute while none answered (the network was down, or the routers' names did not resolve).
     */
    private void joinIfAlone(List<InetSocketAddress> savedNodes, Supplier<List<InetSocketAddress>> bootstrap) {
        synchronized (lock) {
            if (node.table(false).size() + node.table(true).size() > 0) {
                return;
            }
        }
        List<InetSocketAddress> join = new ArrayList<>(savedNodes);
        join.addAll(bootstrap.get()); // resolving router names may take a while: not under the lock
        synchronized (lock) {
            node.bootstrap(join);
        }
    }

    private DhtNode newNode(NodeId id) {
        return new DhtNode(id, settings, System::nanoTime, random, transport);
    }

    void receive(InetSocketAddress from, byte[] datagram) {
        synchronized (lock) {
            node.receive(from, datagram);
        }
    }

    void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
        synchronized (lock) {
            torrents.start(torrent, found);
        }
    }

    void stop(InfoHash infoHash) {
        synchronized (lock) {
            torrents.stop(infoHash);
        }
    }

    /** Pings {@code address}; it enters the routing table if it answers (a peer's PORT message). */
    void ping(InetSocketAddress address) {
        synchronized (lock) {
            node.bootstrap(List.of(address));
        }
    }

    /** A peer's {@code yourip}: a vote for our external address, as a KRPC answer's {@code ip} is. */
    void addressReported(InetAddress reporter, InetAddress reported) {
        synchronized (lock) {
            node.addressReported(reporter, reported);
        }
    }

    /** The gateway's word for our external address (port mapping): in force until a quorum says otherwise. */
    void externalAddressKnown(InetAddress external) {
        synchronized (lock) {
            node.externalAddressKnown(external);
        }
    }

    DhtStatus status() {
        synchronized (lock) {
            DhtCounters c = node.counters();
            return new DhtStatus(node.id().toString(), node.externalAddress().map(InetAddress::getHostAddress).orElse(""),
                    table(node.table(false)), table(node.table(true)), node.store().infoHashCount(),
                    node.store().peerCount(), torrents.torrentCount(), node.runningLookups(), torrents.lookupsStarted(),
                    c.packetsIn(), c.packetsOut(), c.bytesOut(), c.droppedIn(), c.droppedOut(), c.malformedIn(),
                    c.unexpectedIn(), c.lookupsDone(), c.announcesSent(), node.queuedAnnounces(), c.announcesGivenUp());
        }
    }

    private static DhtStatus.Table table(RoutingTable table) {
        return new DhtStatus.Table(table.size(), table.good().size(), table.bucketSizes());
    }

    private void tick() {
        try {
            synchronized (lock) {
                node.tick();
                torrents.lookUpDue();
                node.externalAddress().filter(ip -> !SecureNodeIds.isExempt(ip) && !SecureNodeIds.isValid(node.id(), ip))
                        .ifPresent(this::takeIdFor);
            }
        } catch (RuntimeException e) {
            LOG.warn("DHT tick failed", e); // one failing round must not stop the clock
        }
    }

    /** BEP 42: a new node with an id derived from our external address, joining through the old node's nodes. */
    private void takeIdFor(InetAddress external) {
        DhtNode old = node;
        List<InetSocketAddress> known = new ArrayList<>();
        old.table(false).good().forEach(n -> known.add(n.address()));
        old.table(true).good().forEach(n -> known.add(n.address()));
        node = newNode(SecureNodeIds.idFor(external, random));
        node.externalAddressKnown(external); // the new node starts without votes: it keeps the address its id fits
        torrents = torrents.movedTo(node);
        LOG.info("DHT: external address {}, new node id {} (BEP 42)", external.getHostAddress(), node.id());
        node.bootstrap(known);
    }

    private NodesFile.Saved loadSaved() {
        try {
            return NodesFile.load(nodesFile).orElse(null);
        } catch (IOException e) {
            LOG.warn("DHT: cannot read {}; starting without saved nodes", nodesFile, e);
            return null;
        }
    }

    private void save() {
        NodeId id;
        List<NodeInfo> good = new ArrayList<>();
        synchronized (lock) {
            id = node.id();
            good.addAll(node.table(false).good());
            good.addAll(node.table(true).good());
        }
        if (good.isEmpty()) {
            return; // a run that never joined keeps the nodes of the last one that did
        }
        try {
            NodesFile.save(nodesFile, id, good);
        } catch (IOException e) {
            LOG.warn("DHT: cannot save nodes to {}", nodesFile, e);
        }
    }

    /** Stops the clock, then saves the good nodes for the next start. */
    @Override
    public void close() {
        clock.shutdownNow();
        try {
            clock.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        save();
    }
}
