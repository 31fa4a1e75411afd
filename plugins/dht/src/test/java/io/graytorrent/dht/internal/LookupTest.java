package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.dht.internal.ScriptedNode.Behaviour;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** A {@link DhtNode}'s lookups against a world of scripted nodes on a fake network and clock. */
@Unit
class LookupTest {
    private static final Duration TICK = Duration.ofMillis(100);
    private final Random random = new Random(11);
    private final FakeNetwork network = new FakeNetwork(11);
    private final List<ScriptedNode> world = new ArrayList<>();
    private final InetSocketAddress self = new InetSocketAddress("198.18.0.1", 6881);
    private final DhtNode node = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT.withParallelism(3),
            network.clock, random, network.transportFor(self));

    LookupTest() {
        network.listen(self, node::receive);
    }

    @Test
    void findsTheEightClosestThroughSlowSilentAndLyingNodes() {
        Behaviour[] mix = {Behaviour.HONEST, Behaviour.HONEST, Behaviour.SLOW, Behaviour.SILENT, Behaviour.LIAR};
        populate(200, i -> mix[i % mix.length]);
        NodeId target = NodeId.random(random);

        AtomicReference<Lookup> done = new AtomicReference<>();
        assertTrue(node.lookup(target, false, false, -1, peers -> { }, done::set));
        network.run(Duration.ofSeconds(60), TICK, node::tick);

        assertNotNull(done.get(), "the lookup finished");
        List<NodeInfo> expected = world.stream().filter(n -> n.behaviour != Behaviour.SILENT).map(n -> n.info)
                .sorted((a, b) -> target.compareDistance(a.id(), b.id())).limit(8).toList();
        assertEquals(expected, done.get().closestAnswered());
        assertTrue(done.get().queriesSent() <= Lookup.MAX_QUERIES);
    }

    @Test
    void keepsOnlyParallelismQueriesInFlightAndMovesOnAtTheSoftTimeout() {
        populate(40, i -> Behaviour.SILENT);
        assertTrue(node.lookup(NodeId.random(random), false, false, -1, peers -> { }, lookup -> { }));
        assertEquals(3, node.pendingQueries());
        network.run(Duration.ofMillis(1900), TICK, node::tick);
        assertEquals(3, node.pendingQueries(), "no more until the soft timeout");
        network.run(Duration.ofMillis(200), TICK, node::tick);
        assertEquals(6, node.pendingQueries(), "slow queries free their slots but stay pending");
        network.run(Duration.ofSeconds(120), TICK, node::tick);
        assertEquals(0, node.runningLookups(), "an all-silent lookup ends once every query failed");
    }

    @Test
    void getPeersCollectsPeersAsTheyComeAndAnnouncesToTheClosestWithTokens() {
        populate(120, i -> i % 7 == 0 ? Behaviour.SILENT : Behaviour.HONEST);
        NodeId infoHash = NodeId.random(random);
        InetSocketAddress peer = new InetSocketAddress("192.0.2.50", 51413);
        world.stream().filter(n -> n.behaviour == Behaviour.HONEST)
                .sorted((a, b) -> infoHash.compareDistance(a.info.id(), b.info.id())).limit(3)
                .forEach(n -> n.storedPeers.add(peer));

        Set<InetSocketAddress> found = new HashSet<>();
        AtomicReference<Lookup> done = new AtomicReference<>();
        assertTrue(node.lookup(infoHash, false, true, 6881, found::addAll, done::set));
        network.run(Duration.ofSeconds(60), TICK, node::tick);

        assertEquals(Set.of(peer), found);
        assertNotNull(done.get());
        List<ScriptedNode> closestAnswering = world.stream().filter(n -> n.behaviour == Behaviour.HONEST)
                .sorted((a, b) -> infoHash.compareDistance(a.info.id(), b.info.id())).limit(8).toList();
        for (ScriptedNode n : world) {
            boolean shouldHear = closestAnswering.contains(n);
            assertEquals(shouldHear ? 1 : 0, n.announcesReceived.size(), n.info + " " + n.behaviour);
            if (shouldHear) {
                KrpcMessage.AnnouncePeer announce = n.announcesReceived.get(0);
                assertEquals(infoHash, announce.infoHash());
                assertEquals(6881, announce.port());
                assertArrayEquals(n.token(), announce.token(), "the token that node gave");
            }
        }
    }

    private void populate(int count, IntFunction<Behaviour> behaviour) {
        for (int i = 0; i < count; i++) {
            NodeInfo info = new NodeInfo(NodeId.random(random),
                    new InetSocketAddress("10.1." + (i / 200) + "." + (i % 200 + 1), 6881));
            world.add(new ScriptedNode(info, behaviour.apply(i), network, world, random));
        }
        for (ScriptedNode n : world.subList(0, Math.min(16, count))) {
            node.table(false).answered(n.info, false); // as if they had answered a bootstrap
        }
    }
}
