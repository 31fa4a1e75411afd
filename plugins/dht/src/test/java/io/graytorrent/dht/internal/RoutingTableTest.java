package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

@Unit
class RoutingTableTest {
    private final FakeClock clock = new FakeClock();
    private final Random random = new Random(5);
    private final NodeId own = NodeId.random(random);
    private final RoutingTable table = new RoutingTable(own, clock);
    private int nextHost = 1;

    @Test
    void onlyTheBucketHoldingOurIdSplits() {
        for (int i = 0; i < 8; i++) {
            table.answered(node(0), false); // far half: shares no bit with us
        }
        assertEquals(List.of(8), table.bucketSizes());
        table.answered(node(5), false);
        assertEquals(List.of(8, 1), table.bucketSizes(), "the nodes nearer than the far half move out");
        for (int i = 0; i < 8; i++) {
            table.answered(node(5), false);
        }
        assertEquals(List.of(8, 0, 0, 0, 0, 8, 0), table.bucketSizes(), "split until our own bucket is past them");
        for (int i = 0; i < 3; i++) {
            table.answered(node(0), false);
        }
        assertEquals(List.of(8, 0, 0, 0, 0, 8, 0), table.bucketSizes(), "full buckets away from us never split");
        assertEquals(16, table.size());
    }

    @Test
    void aNodeEntersOnlyAfterItAnswered() {
        NodeInfo stranger = node(3);
        table.queried(stranger);
        assertFalse(table.contains(stranger));
        table.answered(stranger, false);
        assertTrue(table.contains(stranger));
    }

    @Test
    void oneEntryPerAddress() {
        NodeInfo first = node(2);
        table.answered(first, false);
        NodeInfo sameIp = new NodeInfo(own.randomWithPrefix(7, random), new InetSocketAddress(first.address().getAddress(), 9999));
        table.answered(sameIp, false);
        assertEquals(1, table.size());
        assertFalse(table.contains(sameIp));
    }

    @Test
    void aFullBucketCachesNewcomersAndSwapsThemInForBadNodes() {
        List<NodeInfo> live = fillFarBucket();
        NodeInfo newcomer = node(0);
        assertNull(table.answered(newcomer, false), "nothing is questionable yet");
        assertFalse(table.contains(newcomer));

        clock.advance(Duration.ofMinutes(16));
        NodeInfo second = node(0);
        NodeInfo toPing = table.answered(second, false);
        assertTrue(live.contains(toPing), "the oldest silent node is offered for a ping");
        table.failed(toPing.address()); // questionable and silent: bad
        assertFalse(table.contains(toPing));
        assertTrue(table.contains(second), "the newest cached node takes its place");
        assertEquals(8, table.bucketSizes().get(0));
    }

    @Test
    void aGoodNodeGoesBadAfterRepeatedFailures() {
        List<NodeInfo> live = fillFarBucket();
        NodeInfo cached = node(0);
        table.answered(cached, false);
        table.failed(live.get(3).address());
        assertTrue(table.contains(live.get(3)), "one failure of a good node is forgiven");
        table.failed(live.get(3).address());
        assertFalse(table.contains(live.get(3)));
        assertTrue(table.contains(cached));
        assertFalse(table.closest(own, 20).contains(live.get(3)));
    }

    @Test
    void aVerifiedNewcomerDisplacesAnUnverifiedNode() {
        List<NodeInfo> live = fillFarBucket();
        NodeInfo verified = node(0);
        table.answered(verified, true);
        assertTrue(table.contains(verified));
        assertEquals(8, table.size());
        assertEquals(7, live.stream().filter(table::contains).count(), "one unverified node steps back");
    }

    @Test
    void bucketsUnchangedFor15MinutesAreRefreshedWithTargetsInsideThem() {
        table.answered(node(0), false);
        table.answered(node(4), false);
        assertTrue(table.refreshTargets(random).isEmpty());
        clock.advance(Duration.ofMinutes(15));
        List<NodeId> targets = table.refreshTargets(random);
        assertEquals(table.bucketSizes().size(), targets.size());
        for (int i = 0; i < targets.size(); i++) {
            assertEquals(i, own.commonPrefixBits(targets.get(i)));
        }
        assertTrue(table.refreshTargets(random).isEmpty(), "refreshed buckets wait another 15 minutes");
        assertEquals(2, table.questionable(10).size());
    }

    @Test
    void closestIsOrderedByDistance() {
        for (int bits = 0; bits < 12; bits++) {
            table.answered(node(bits), false);
        }
        NodeId target = own.randomWithPrefix(10, random);
        List<NodeInfo> closest = table.closest(target, 8);
        assertEquals(8, closest.size());
        for (int i = 1; i < closest.size(); i++) {
            assertTrue(target.compareDistance(closest.get(i - 1).id(), closest.get(i).id()) < 0);
        }
    }

    private List<NodeInfo> fillFarBucket() {
        for (int i = 0; i < 8; i++) {
            table.answered(node(0), false);
        }
        return table.closest(own.randomWithPrefix(0, random), 8);
    }

    /** A node on a fresh public address whose id shares exactly {@code prefixBits} bits with ours. */
    private NodeInfo node(int prefixBits) {
        int host = nextHost++;
        return new NodeInfo(own.randomWithPrefix(prefixBits, random),
                new InetSocketAddress("198.51." + (host / 250) + "." + (host % 250 + 1), 6881));
    }
}
