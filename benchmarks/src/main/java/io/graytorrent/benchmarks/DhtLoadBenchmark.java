package io.graytorrent.benchmarks;

import io.graytorrent.dht.internal.DhtNode;
import io.graytorrent.dht.internal.DhtSettings;
import io.graytorrent.dht.internal.KrpcCodec;
import io.graytorrent.dht.internal.KrpcException;
import io.graytorrent.dht.internal.KrpcMessage;
import io.graytorrent.dht.internal.NodeId;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The DHT's CPU and memory with many torrents and peers stored (issue 16's performance item): one
 * {@link DhtNode} on the real clock, fed KRPC datagrams by synthetic peers over an in-memory
 * transport. Each peer has its own IPv4 address and node id; first every peer asks get_peers for
 * its torrent and announces itself with the token it got (so TORRENTS infohashes and PEERS peers
 * are stored), then for SECONDS the peers send RATE queries per second (45 % get_peers of a random
 * stored torrent, 35 % announce_peer renewals, 15 % find_node, 5 % ping), the node ticking every
 * 250 ms as RunningDht ticks it, and the node's own pings to the peers answered. It prints the
 * node's CPU (thread CPU time inside {@code receive} and {@code tick}, not the synthetic peers')
 * per minute and per query, and the heap after GC with the node filled minus before it existed.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
 *     io.graytorrent.benchmarks.DhtLoadBenchmark [TORRENTS PEERS RATE SECONDS]   # 2000 10000 200 60
 * </pre>
 * The outgoing rate limit is raised so that every query gets its answer: the default 8 KB/s would
 * drop most answers at this load, which would measure the limit, not the work.
 */
public final class DhtLoadBenchmark {
    private static final InetSocketAddress NODE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881);
    private static final long TICK_NANOS = Duration.ofMillis(250).toNanos();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ArrayDeque<Object[]> sent = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom(16);
    private final InetSocketAddress[] addresses;
    private final NodeId[] ids;
    private final NodeId[] torrents;
    private final byte[][] tokens;
    private final DhtNode node;
    private long nodeCpuNanos;
    private long queries;
    private long announcesAccepted;
    private int tid;

    private DhtLoadBenchmark(int torrentCount, int peerCount) throws UnknownHostException {
        addresses = new InetSocketAddress[peerCount];
        ids = new NodeId[peerCount];
        tokens = new byte[peerCount][];
        torrents = new NodeId[torrentCount];
        for (int i = 0; i < torrentCount; i++) {
            torrents[i] = NodeId.random(random);
        }
        for (int i = 0; i < peerCount; i++) {
            byte[] ip = {10, (byte) (i >>> 15), (byte) (i >>> 7), (byte) (1 + (i & 0x7f) * 2)}; // odd last bytes
            addresses[i] = new InetSocketAddress(InetAddress.getByAddress(ip), 6881 + i % 1000);
            ids[i] = NodeId.random(random);
        }
        DhtSettings d = DhtSettings.DEFAULT;
        DhtSettings settings = new DhtSettings(d.parallelism(), d.softTimeout(), d.hardTimeout(), d.maxPending(),
                d.maxLookups(), 1 << 30, 1 << 30, d.inPerIpPerSecond(), d.inPerIpBurst(), d.inBlock(),
                d.maxPeersPerInfoHash(), d.maxInfoHashes());
        node = new DhtNode(NodeId.random(random), settings, System::nanoTime, new SplittableRandom(17),
                (to, datagram) -> sent.add(new Object[] {to, datagram}));
    }

    public static void main(String[] args) throws Exception {
        int torrentCount = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int peerCount = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        long heapBefore = heapAfterGc();
        DhtLoadBenchmark bench = new DhtLoadBenchmark(torrentCount, peerCount);
        long syntheticHeap = heapAfterGc() - heapBefore; // the peers' addresses, ids and torrents: not the node's
        bench.fill();
        long filledHeap = heapAfterGc() - heapBefore - syntheticHeap;
        System.out.printf(Locale.ROOT, "filled: %d infohashes, %d peers stored (%d announces accepted); %.1f CPU-ms"
                + " in the node for %d queries (%.1f us each); heap after GC %.1f MiB over the empty JVM"
                + " (synthetic peers' own %.1f MiB excluded)%n",
                bench.node.store().infoHashCount(), bench.node.store().peerCount(), bench.announcesAccepted,
                bench.nodeCpuNanos / 1e6, bench.queries, bench.nodeCpuNanos / 1e3 / bench.queries,
                filledHeap / 1048576.0, syntheticHeap / 1048576.0);
        bench.steady(rate, seconds);
        long endHeap = heapAfterGc() - heapBefore - syntheticHeap;
        System.out.printf(Locale.ROOT, "after: %d infohashes, %d peers stored, %d nodes in the IPv4 table, heap after GC"
                + " %.1f MiB%n", bench.node.store().infoHashCount(), bench.node.store().peerCount(),
                bench.node.table(false).size(), endHeap / 1048576.0);
    }

    /** Every peer asks get_peers for its torrent and announces itself with the token it got. */
    private void fill() {
        for (int i = 0; i < addresses.length; i++) {
            NodeId torrent = torrents[i % torrents.length];
            deliver(i, new KrpcMessage.GetPeers(nextTid(), ids[i], torrent, Set.of()));
            deliver(i, new KrpcMessage.AnnouncePeer(nextTid(), ids[i], torrent, addresses[i].getPort(), false,
                    tokens[i]));
        }
    }

    private void steady(int rate, int seconds) throws InterruptedException {
        long cpuBefore = nodeCpuNanos;
        long queriesBefore = queries;
        long processCpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        long nextTick = start + TICK_NANOS;
        long due = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            long shouldHaveSent = (now - start) * rate / 1_000_000_000L;
            for (; due < shouldHaveSent; due++) {
                query(random.nextInt(addresses.length));
            }
            if (now >= nextTick) {
                long cpu = threads.getCurrentThreadCpuTime();
                node.tick();
                nodeCpuNanos += threads.getCurrentThreadCpuTime() - cpu;
                answerNodeQueries();
                nextTick += TICK_NANOS;
            }
            Thread.sleep(5);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double nodeCpu = (nodeCpuNanos - cpuBefore) / 1e9;
        long steadyQueries = queries - queriesBefore;
        System.out.printf(Locale.ROOT, "steady: %d queries in %.1f s (%.0f/s): node CPU %.3f s, %.3f CPU-s per minute,"
                + " %.1f us per query; the whole JVM (synthetic peers, GC, JIT included) %.3f CPU-s per minute;"
                + " packets in %d, out %d, dropped in %d%n",
                steadyQueries, elapsed, steadyQueries / elapsed, nodeCpu, nodeCpu / elapsed * 60,
                nodeCpu * 1e6 / steadyQueries, (processCpuNanos() - processCpuBefore) / 1e9 / elapsed * 60,
                node.counters().packetsIn(), node.counters().packetsOut(), node.counters().droppedIn());
    }

    private void query(int peer) {
        int kind = random.nextInt(100);
        NodeId torrent = torrents[random.nextInt(torrents.length)];
        if (kind < 45) {
            deliver(peer, new KrpcMessage.GetPeers(nextTid(), ids[peer], torrent, Set.of()));
        } else if (kind < 80) {
            // a renewal of its own announce, with the token of its last get_peers (re-asked when stale)
            NodeId own = torrents[peer % torrents.length];
            long acceptedBefore = announcesAccepted;
            deliver(peer, new KrpcMessage.AnnouncePeer(nextTid(), ids[peer], own, addresses[peer].getPort(), false,
                    tokens[peer]));
            if (announcesAccepted == acceptedBefore) {
                deliver(peer, new KrpcMessage.GetPeers(nextTid(), ids[peer], own, Set.of()));
                deliver(peer, new KrpcMessage.AnnouncePeer(nextTid(), ids[peer], own, addresses[peer].getPort(),
                        false, tokens[peer]));
            }
        } else if (kind < 95) {
            deliver(peer, new KrpcMessage.FindNode(nextTid(), ids[peer], NodeId.random(random), Set.of()));
        } else {
            deliver(peer, new KrpcMessage.Ping(nextTid(), ids[peer]));
        }
    }

    /** One query into the node, timed; its answer read (a token kept, an announce counted). */
    private void deliver(int peer, KrpcMessage.Query query) {
        byte[] datagram = KrpcCodec.encode(query);
        long cpu = threads.getCurrentThreadCpuTime();
        node.receive(addresses[peer], datagram);
        nodeCpuNanos += threads.getCurrentThreadCpuTime() - cpu;
        queries++;
        Object[] reply;
        while ((reply = sent.poll()) != null) {
            KrpcMessage message = decode((byte[]) reply[1]);
            if (!reply[0].equals(addresses[peer])) {
                answer((InetSocketAddress) reply[0], message);
            } else if (message instanceof KrpcMessage.Response response) {
                if (response.token() != null) {
                    tokens[peer] = response.token();
                } else if (query instanceof KrpcMessage.AnnouncePeer) {
                    announcesAccepted++;
                }
            } else if (message instanceof KrpcMessage.Query) {
                answer(addresses[peer], message); // the node pings a new querier
            }
        }
    }

    private void answerNodeQueries() {
        Object[] out;
        while ((out = sent.poll()) != null) {
            answer((InetSocketAddress) out[0], decode((byte[]) out[1]));
        }
    }

    /** The node asked one of our peers (a ping, or a refresh's find_node): that peer answers, as a live node would. */
    private void answer(InetSocketAddress to, KrpcMessage message) {
        if (!(message instanceof KrpcMessage.Query query)) {
            return;
        }
        int peer = indexOf(to);
        if (peer < 0) {
            return;
        }
        byte[] answer = KrpcCodec.encode(KrpcMessage.Response.of(query.transactionId(), ids[peer], NODE));
        int queued = sent.size();
        long cpu = threads.getCurrentThreadCpuTime();
        node.receive(to, answer);
        nodeCpuNanos += threads.getCurrentThreadCpuTime() - cpu;
        while (sent.size() > queued) {
            sent.pollLast(); // a ping the answer caused (of a questionable node): left unanswered
        }
    }

    private int indexOf(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        if (ip.length != 4 || ip[0] != 10) {
            return -1;
        }
        int i = ((ip[1] & 0xff) << 15) | ((ip[2] & 0xff) << 7) | (((ip[3] & 0xff) - 1) / 2);
        return i < addresses.length && addresses[i].equals(address) ? i : -1;
    }

    private static KrpcMessage decode(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            throw new IllegalStateException("the node sent a datagram its own decoder rejects", e);
        }
    }

    private byte[] nextTid() {
        tid++;
        return new byte[] {(byte) (tid >>> 8), (byte) tid};
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
