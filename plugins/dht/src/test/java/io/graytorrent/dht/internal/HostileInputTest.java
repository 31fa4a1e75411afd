package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.dht.internal.KrpcMessage.FindNode;
import io.graytorrent.dht.internal.KrpcMessage.GetPeers;
import io.graytorrent.dht.internal.KrpcMessage.Ping;
import io.graytorrent.dht.internal.KrpcMessage.Response;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's hostile nodes against one {@link DhtNode} on a capturing transport and a fake clock: a
 * node flooding us, a node answering with thousands of bogus nodes, a node sending oversized or
 * malformed datagrams. Each is ignored or cut to its bound, and nothing else the node holds changes.
 */
@Unit
class HostileInputTest {
    private final FakeClock clock = new FakeClock();
    private final Random random = new Random(42);
    private final List<SentDatagram> sent = new ArrayList<>();
    private final DhtNode node = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, clock, random,
            (to, datagram) -> sent.add(new SentDatagram(to, datagram)));
    private final InetSocketAddress flooder = new InetSocketAddress("192.0.2.66", 6881);
    private final InetSocketAddress neighbour = new InetSocketAddress("192.0.2.77", 6881);

    @Test
    void aFlooderGetsNothingForTheBanWhileAnotherAddressIsStillAnswered() {
        NodeId flooderId = NodeId.random(random);
        for (int i = 0; i < 1000; i++) {
            node.receive(flooder, KrpcCodec.encode(new Ping(tid(i), flooderId)));
        }
        assertEquals(DhtSettings.DEFAULT.inPerIpBurst(), answersTo(flooder), "its burst, then nothing");
        assertEquals(1000 - DhtSettings.DEFAULT.inPerIpBurst(), node.counters().droppedIn());

        node.receive(neighbour, KrpcCodec.encode(new Ping(tid(1), NodeId.random(random))));
        assertEquals(1, answersTo(neighbour), "another address is answered during the flood");

        clock.advance(DhtSettings.DEFAULT.inBlock().minusSeconds(1));
        sent.clear();
        node.receive(flooder, KrpcCodec.encode(new FindNode(tid(1), flooderId, flooderId, Set.of())));
        node.receive(flooder, KrpcCodec.encode(new GetPeers(tid(2), flooderId, flooderId, Set.of())));
        node.receive(flooder, ascii("d1:ad2:id3:abce1:q4:ping1:t2:xx1:y1:qe")); // would earn a 203
        assertTrue(sent.isEmpty(), "no reply of any kind until the ban is over");

        clock.advance(Duration.ofSeconds(2));
        node.receive(flooder, KrpcCodec.encode(new Ping(tid(3), flooderId)));
        assertEquals(1, answersTo(flooder), "answered again after the ban");
        assertTrue(node.pendingQueries() <= 2, "the flood pinged each stranger once at most");
    }

    @Test
    void theLimiterRemembersABoundedNumberOfAddresses() throws UnknownHostException {
        InboundLimiter limiter = new InboundLimiter(clock, 20, 60, Duration.ofMinutes(1).toNanos(), 64);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limiter.allow(ipv4(i)), "a first datagram from a new address is allowed");
        }
        assertEquals(64, limiter.sources());

        InetAddress flooding = InetAddress.getByName("192.0.2.66");
        for (int i = 0; i < 61; i++) {
            limiter.allow(flooding);
        }
        assertEquals(false, limiter.allow(flooding), "blocked");
        for (int i = 0; i < 63; i++) {
            limiter.allow(ipv4(20_000 + i)); // pushes the flooder to the eldest place, not out
        }
        assertEquals(false, limiter.allow(flooding), "each datagram it sends keeps it remembered and blocked");
    }

    @Test
    void tenThousandAddressesQueryingOnceLeaveTheNodeBounded() throws UnknownHostException {
        for (int i = 0; i < 10_000; i++) {
            node.receive(new InetSocketAddress(ipv4(i), 6881), KrpcCodec.encode(new Ping(tid(i), NodeId.random(random))));
        }
        assertTrue(node.pendingQueries() <= DhtSettings.DEFAULT.maxPending() / 2,
                "strangers pinged back only while half the pending table is free: " + node.pendingQueries());
        assertEquals(0, node.table(false).size(), "nobody enters without answering us");
        assertEquals(0, node.counters().droppedIn(), "one datagram each is within every address's burst");
    }

    @Test
    void tenThousandCompactNodesDoNotFitADatagramAndAreNeverReadBeyondTheBound() {
        byte[] compact = CompactAddresses.nodes(bogusNodes(10_000), false);
        assertEquals(10_000 * CompactAddresses.IPV4_NODE, compact.length);
        assertEquals(RoutingTable.K * 2, CompactAddresses.readNodes(compact, false, RoutingTable.K * 2).size());
        byte[] answer = KrpcCodec.encode(new Response(tid(0), NodeId.random(random), compact, null, null, List.of(), null));
        assertThrows(KrpcException.class, () -> KrpcCodec.decode(answer));
    }

    @Test
    void aLookupAnsweredWithBogusNodesStaysBoundedAndFinishes() {
        NodeInfo liar = new NodeInfo(NodeId.random(random), new InetSocketAddress("192.0.2.99", 6881));
        node.table(false).answered(liar, false);
        AtomicReference<Lookup> done = new AtomicReference<>();
        assertTrue(node.lookup(NodeId.random(random), false, true, -1, peers -> { }, done::set));
        KrpcMessage query = sent.get(0).message();
        assertInstanceOf(GetPeers.class, query);

        byte[] oversized = KrpcCodec.encode(new Response(query.transactionId(), liar.id(),
                CompactAddresses.nodes(bogusNodes(10_000), false), null, tid(9), List.of(), null));
        node.receive(liar.address(), oversized);
        assertEquals(1, node.counters().malformedIn(), "10,000 nodes: dropped whole");
        assertEquals(1, node.pendingQueries(), "the transaction still waits for a real answer");

        int fitting = (KrpcCodec.MAX_DATAGRAM - 100) / CompactAddresses.IPV4_NODE;
        byte[] crowded = KrpcCodec.encode(new Response(query.transactionId(), liar.id(),
                CompactAddresses.nodes(bogusNodes(fitting), false), null, tid(9), List.of(), null));
        assertTrue(crowded.length <= KrpcCodec.MAX_DATAGRAM && fitting > 2 * RoutingTable.K, "fits: " + fitting);
        sent.clear();
        node.receive(liar.address(), crowded);
        for (int second = 0; second < 120; second++) {
            clock.advance(Duration.ofSeconds(1));
            node.tick();
        }
        long queried = sent.stream().filter(s -> s.message() instanceof GetPeers).map(SentDatagram::to)
                .filter(to -> !to.equals(liar.address())).distinct().count();
        assertTrue(queried <= 2 * RoutingTable.K, "at most the 16 nodes an answer may name: " + queried);
        assertNotNull(done.get(), "the lookup finished");
        assertEquals(1, node.table(false).size(), "none of the silent bogus nodes entered the table");
        assertEquals(0, node.pendingQueries());
    }

    @Test
    void oversizedAndMalformedDatagramsChangeNothingAndOnlyBadQueriesGet203() {
        for (int i = 1; i <= 10; i++) {
            node.table(false).answered(new NodeInfo(NodeId.random(random), new InetSocketAddress("198.51.100." + i, 6881)), false);
        }
        InetSocketAddress router = new InetSocketAddress("192.0.2.99", 6881);
        node.bootstrap(List.of(router));
        byte[] routerTid = sent.get(0).message().transactionId();
        String t = new String(routerTid, StandardCharsets.ISO_8859_1);
        byte[] noise = new byte[1500];
        random.nextBytes(noise);
        List<byte[]> dropped = List.of(
                new byte[0], noise, ascii("d1:t2:"), ascii("l4:pinge"), ascii("i42e"),
                ascii("d1:rd2:id3:abce1:t2:" + t + "1:y1:re"), // our transaction, a 3-byte id
                ascii("d1:rd2:id20:abcdefghij0123456789e1:t2:" + t + "1:y1:xe"), // unknown type
                ascii("d1:rl" + "l".repeat(50) + "e".repeat(50) + "e1:t2:" + t + "1:y1:re"), // too deep
                ascii("d1:rd2:id20:abcdefghij01234567895:nodes" + "3000:" + "n".repeat(3000) + "e1:t2:" + t
                        + "1:y1:re"), // oversized
                ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:q3e")); // a query without its type
        List<byte[]> answered203 = List.of(
                ascii("d1:ad2:id3:abce1:q4:ping1:t2:q11:y1:qe"),
                ascii("d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:q21:y1:qe")); // no target
        sent.clear();
        for (byte[] datagram : dropped) {
            node.receive(router, datagram);
        }
        assertTrue(sent.isEmpty(), "nothing is answered to garbage, broken answers or oversized datagrams");
        for (byte[] datagram : answered203) {
            node.receive(neighbour, datagram);
        }
        List<Integer> codes = sent.stream().map(SentDatagram::message).map(m -> ((KrpcMessage.Error) m).code()).toList();
        assertEquals(List.of(203, 203), codes, "malformed queries get 203");

        assertEquals(dropped.size() + answered203.size(), node.counters().malformedIn());
        assertEquals(10, node.table(false).size());
        assertEquals(1, node.pendingQueries(), "the router's transaction is untouched");
        assertEquals(0, node.store().peerCount());

        sent.clear();
        node.receive(router, KrpcCodec.encode(Response.of(routerTid, NodeId.random(random), null)));
        assertEquals(11, node.table(false).size(), "the real answer still settles it");
    }

    private long answersTo(InetSocketAddress to) {
        return sent.stream().filter(s -> s.to().equals(to) && s.message() instanceof Response).count();
    }

    private List<NodeInfo> bogusNodes(int count) {
        List<NodeInfo> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nodes.add(new NodeInfo(NodeId.random(random), new InetSocketAddress(ipv4Unchecked(100_000 + i), 6881)));
        }
        return nodes;
    }

    private static InetAddress ipv4(int n) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    private static InetAddress ipv4Unchecked(int n) {
        try {
            return ipv4(n);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static byte[] tid(int n) {
        return new byte[] {(byte) (n >>> 8), (byte) n};
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
