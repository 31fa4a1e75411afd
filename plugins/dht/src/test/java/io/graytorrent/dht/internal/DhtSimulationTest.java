package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Slow;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of {@link DhtNode}s in one JVM on a virtual clock and an in-memory network: they join
 * through one another, find the K closest nodes to random targets, announce and find each other's
 * infohashes, and keep doing so while nodes leave and join, within bounded traffic and state.
 * Deterministic: the seed is printed and {@code -Ddht.sim.seed=N} replays a run.
 */
@Slow
class DhtSimulationTest {
    private static final int NODES = 500;
    private static final Duration TICK = Duration.ofMillis(500);
    private final long seed = Long.getLong("dht.sim.seed", 20261207L);
    private final Random random = new Random(seed);
    private final FakeNetwork network = new FakeNetwork(seed);
    private final Map<InetSocketAddress, DhtNode> live = new LinkedHashMap<>();
    private int nextHost;

    @Test
    void aNetworkOfFiveHundredNodesFindsAnnouncesAndSurvivesChurn() {
        System.out.println("DHT simulation seed " + seed + " (-Ddht.sim.seed=" + seed + " replays it)");
        join(NODES);
        run(Duration.ofSeconds(60));

        double found = findClosest(200);
        System.out.printf("after joining: %.1f %% of lookups found the 8 closest%n", found * 100);
        assertTrue(found >= 0.95, "closest found by " + found);

        assertTrue(announceThenFind(20) >= 0.95, "announcers found");

        List<InetSocketAddress> leaving = new ArrayList<>(live.keySet()).subList(0, 50);
        for (InetSocketAddress gone : List.copyOf(leaving)) {
            live.remove(gone);
            network.leave(gone);
        }
        join(50);
        run(Duration.ofMinutes(16)); // past the 15 minutes after which nodes are questionable and buckets refreshed
        double afterChurn = findClosest(200);
        System.out.printf("after 50 left and 50 joined: %.1f %% found the 8 closest%n", afterChurn * 100);
        assertTrue(afterChurn >= 0.95, "closest found after churn by " + afterChurn);

        checkBounds();
    }

    private void join(int count) {
        List<InetSocketAddress> known = new ArrayList<>(live.keySet());
        for (int i = 0; i < count; i++) {
            int host = ++nextHost;
            InetSocketAddress address = new InetSocketAddress("10." + (host >> 16) + "." + ((host >> 8) & 0xff) + "."
                    + (host & 0xff), 6881);
            DhtNode node = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, network.clock, new Random(random.nextLong()),
                    network.transportFor(address));
            network.listen(address, node::receive);
            List<InetSocketAddress> routers = new ArrayList<>();
            for (int r = 0; r < 3 && !known.isEmpty(); r++) {
                routers.add(known.get(random.nextInt(known.size())));
            }
            node.bootstrap(routers);
            live.put(address, node);
            known.add(address);
            if (i % 25 == 24) {
                run(Duration.ofMillis(500)); // a few dozen joiners a second
            }
        }
    }

    /** The share of lookups from random nodes to random targets that found exactly the 8 closest live nodes. */
    private double findClosest(int lookups) {
        List<DhtNode> nodes = new ArrayList<>(live.values());
        AtomicInteger right = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < lookups; i++) {
            DhtNode searcher = nodes.get(random.nextInt(nodes.size()));
            NodeId target = NodeId.random(random);
            Set<NodeId> expected = trueClosest(target, searcher);
            boolean started = searcher.lookup(target, false, false, -1, peers -> { }, lookup -> {
                finished.incrementAndGet();
                Set<NodeId> got = new HashSet<>();
                lookup.closestAnswered().forEach(n -> got.add(n.id()));
                if (got.equals(expected)) {
                    right.incrementAndGet();
                }
            });
            assertTrue(started);
        }
        run(Duration.ofSeconds(60));
        assertTrue(finished.get() == lookups, "every lookup finished: " + finished);
        return right.get() / (double) lookups;
    }

    /** Announces from some nodes, then looks the infohashes up from others; the share found. */
    private double announceThenFind(int count) {
        List<Map.Entry<InetSocketAddress, DhtNode>> nodes = new ArrayList<>(live.entrySet());
        Map<NodeId, InetSocketAddress> announced = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Map.Entry<InetSocketAddress, DhtNode> announcer = nodes.get(random.nextInt(nodes.size()));
            NodeId infoHash = NodeId.random(random);
            int peerPort = 40000 + i;
            announced.put(infoHash, new InetSocketAddress(announcer.getKey().getAddress(), peerPort));
            announcer.getValue().lookup(infoHash, false, true, peerPort, peers -> { }, done -> { });
        }
        run(Duration.ofSeconds(30));
        AtomicInteger found = new AtomicInteger();
        announced.forEach((infoHash, peer) -> {
            DhtNode seeker = nodes.get(random.nextInt(nodes.size())).getValue();
            Set<InetSocketAddress> seen = new HashSet<>();
            seeker.lookup(infoHash, false, true, -1, seen::addAll, done -> {
                if (seen.contains(peer)) {
                    found.incrementAndGet();
                }
            });
        });
        run(Duration.ofSeconds(30));
        System.out.printf("announce then get_peers: %d of %d found%n", found.get(), count);
        return found.get() / (double) count;
    }

    private Set<NodeId> trueClosest(NodeId target, DhtNode searcher) {
        Set<NodeId> closest = new HashSet<>();
        live.values().stream().map(DhtNode::id).filter(id -> !id.equals(searcher.id()))
                .sorted(target::compareDistance).limit(RoutingTable.K).forEach(closest::add);
        return closest;
    }

    private void checkBounds() {
        long minutes = Duration.ofNanos(network.clock.getAsLong()).toMinutes() + 1;
        long maxOut = 0;
        long totalOut = 0;
        for (DhtNode node : live.values()) {
            DhtCounters c = node.counters();
            maxOut = Math.max(maxOut, c.packetsOut());
            totalOut += c.packetsOut();
            assertTrue(node.table(false).size() <= node.table(false).bucketSizes().size() * RoutingTable.K);
            assertTrue(node.table(false).size() <= 200, "table size " + node.table(false).size());
            assertTrue(node.pendingQueries() <= DhtSettings.DEFAULT.maxPending());
            assertTrue(node.runningLookups() <= DhtSettings.DEFAULT.maxLookups());
            assertTrue(node.store().peerCount() <= 40, "stored peers " + node.store().peerCount());
            assertTrue(c.bytesOut() <= DhtSettings.DEFAULT.outBurstBytes()
                    + DhtSettings.DEFAULT.outBytesPerSecond() * minutes * 60, "the outgoing rate holds");
        }
        long average = totalOut / live.size();
        System.out.printf("packets sent per node over %d min: average %d, max %d; datagrams in all %d%n", minutes,
                average, maxOut, network.datagrams);
        assertTrue(average <= 40 * minutes, "average packets per node " + average);
        assertTrue(maxOut <= 200 * minutes, "most packets of one node " + maxOut);
    }

    private void run(Duration duration) {
        network.run(duration, TICK, () -> List.copyOf(live.values()).forEach(DhtNode::tick));
    }
}
