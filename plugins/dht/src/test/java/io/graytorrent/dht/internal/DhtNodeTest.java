package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.dht.internal.KrpcMessage.AnnouncePeer;
import io.graytorrent.dht.internal.KrpcMessage.FindNode;
import io.graytorrent.dht.internal.KrpcMessage.GetPeers;
import io.graytorrent.dht.internal.KrpcMessage.Ping;
import io.graytorrent.dht.internal.KrpcMessage.Response;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a {@link DhtNode} answers queries and protects itself, on a capturing transport and a fake clock. */
@Unit
class DhtNodeTest {
    private final FakeClock clock = new FakeClock();
    private final Random random = new Random(21);
    private final List<SentDatagram> sent = new ArrayList<>();
    private final DhtNode node = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, clock, random,
            (to, datagram) -> sent.add(new SentDatagram(to, datagram)));
    private final InetSocketAddress querier = new InetSocketAddress("192.0.2.7", 4000);
    private final NodeId querierId = NodeId.random(random);
    private final byte[] tid = {'q', '1'};

    @Test
    void answersPingWithItsIdAndTheQueriersAddress() {
        Response response = ask(new Ping(tid, querierId));
        assertEquals(node.id(), response.sender());
        assertArrayEquals(tid, response.transactionId());
        assertEquals(querier, response.requesterAddress());
    }

    @Test
    void aQuerierIsPingedBeforeItMayEnterTheTable() {
        ask(new Ping(tid, querierId));
        KrpcMessage ping = sent.get(0).message();
        assertInstanceOf(Ping.class, ping, "a stranger with room for it gets pinged first");
        assertFalse(node.table(false).contains(new NodeInfo(querierId, querier)));
        node.receive(querier, KrpcCodec.encode(Response.of(ping.transactionId(), querierId, null)));
        assertTrue(node.table(false).contains(new NodeInfo(querierId, querier)));
    }

    @Test
    void findNodeAnswersWithTheClosestNodesOfTheAskedFamilies() {
        for (int i = 1; i <= 20; i++) {
            node.table(false).answered(new NodeInfo(NodeId.random(random), new InetSocketAddress("198.51.100." + i, 6881)), false);
        }
        node.table(true).answered(new NodeInfo(NodeId.random(random), new InetSocketAddress("2001:db8::5", 6881)), false);
        NodeId target = NodeId.random(random);
        Response v4 = ask(new FindNode(tid, querierId, target, Set.of()));
        assertEquals(node.table(false).closest(target, 8), CompactAddresses.readNodes(v4.nodes(), false, 100));
        assertEquals(null, v4.nodes6());
        Response both = ask(new FindNode(tid, querierId, target, Set.of("n4", "n6")));
        assertEquals(8, CompactAddresses.readNodes(both.nodes(), false, 100).size());
        assertEquals(1, CompactAddresses.readNodes(both.nodes6(), true, 100).size());
    }

    @Test
    void announceWithAValidTokenIsStoredAndServedByGetPeers() {
        NodeId infoHash = NodeId.random(random);
        Response first = ask(new GetPeers(tid, querierId, infoHash, Set.of()));
        assertNotNull(first.token());
        assertTrue(first.values().isEmpty());

        ask(new AnnouncePeer(tid, querierId, infoHash, 51413, false, first.token()));
        ask(new AnnouncePeer(tid, querierId, infoHash, 9999, true, first.token())); // implied: the UDP port
        Response second = ask(new GetPeers(tid, querierId, infoHash, Set.of()));
        List<InetSocketAddress> peers = second.values().stream().map(CompactAddresses::readPeer).toList();
        assertEquals(List.of(new InetSocketAddress("192.0.2.7", 4000), new InetSocketAddress("192.0.2.7", 51413)), peers);
    }

    @Test
    void badTokensMalformedQueriesAndUnknownMethodsGetTheirErrors() {
        NodeId infoHash = NodeId.random(random);
        assertEquals(203, askForError(KrpcCodec.encode(new AnnouncePeer(tid, querierId, infoHash, 1, false, new byte[] {1}))).code());
        assertEquals(203, askForError(ascii("d1:ad2:id3:abce1:q4:ping1:t2:q11:y1:qe")).code());
        assertEquals(204, askForError(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:q11:y1:qe")).code());
        assertEquals(0, node.store().peerCount());
    }

    @Test
    void peersReportingOurAddressVoteForItAsAnsweringNodesDo() throws Exception {
        InetAddress ours = InetAddress.getByName("203.0.113.5");
        node.addressReported(InetAddress.getByName("198.51.100.1"), ours);
        node.addressReported(InetAddress.getByName("198.51.100.2"), ours);
        assertEquals(Optional.empty(), node.externalAddress(), "two voters are not enough");
        node.addressReported(InetAddress.getByName("198.51.100.2"), ours);
        assertEquals(Optional.empty(), node.externalAddress(), "nor one of them twice");
        node.addressReported(InetAddress.getByName("2001:db8::1"), ours);
        assertEquals(Optional.of(ours), node.externalAddress());
    }

    @Test
    void garbageAndStrayAnswersGetNoReply() {
        node.receive(querier, ascii("not bencode"));
        node.receive(querier, KrpcCodec.encode(Response.of(new byte[] {0, 1}, querierId, null)));
        assertTrue(sent.isEmpty());
        assertEquals(1, node.counters().malformedIn());
        assertEquals(1, node.counters().unexpectedIn());
    }

    @Test
    void oversizedDatagramsAreDroppedUnanswered() {
        byte[] padded = ascii("d1:ad2:id20:abcdefghij01234567891:x" + "3000:" + "x".repeat(3000)
                + "e1:q4:ping1:t2:aa1:y1:qe");
        node.receive(querier, padded);
        assertTrue(sent.isEmpty());
        assertEquals(1, node.counters().malformedIn());
    }

    @Test
    void anAnswerFullOfBogusNodesCannotGrowALookup() {
        InetSocketAddress router = new InetSocketAddress("192.0.2.99", 6881);
        node.bootstrap(List.of(router));
        KrpcMessage query = sent.get(0).message();
        List<NodeInfo> bogus = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            bogus.add(new NodeInfo(NodeId.random(random), new InetSocketAddress("203.0.113." + (i + 1), 6881)));
        }
        byte[] answer = KrpcCodec.encode(new Response(query.transactionId(), NodeId.random(random),
                CompactAddresses.nodes(bogus, false), null, null, List.of(), null));
        assertTrue(answer.length <= KrpcCodec.MAX_DATAGRAM);
        sent.clear();
        node.receive(router, answer);
        assertEquals(DhtSettings.DEFAULT.parallelism(), sent.size(), "only the lookup's parallel queries go out");
        for (int second = 0; second < 120; second++) {
            clock.advance(Duration.ofSeconds(1));
            node.tick();
        }
        long queried = sent.stream().map(SentDatagram::to).filter(to -> !to.equals(router)).distinct().count();
        assertTrue(queried <= 2 * RoutingTable.K, "at most the 16 nodes one answer may name: " + queried);
        assertEquals(1, node.table(false).size(), "none of the silent bogus nodes entered the table");
        assertEquals(0, node.runningLookups());
    }

    @Test
    void aFloodingAddressIsIgnoredForAWhile() {
        for (int i = 0; i < 200; i++) {
            node.receive(querier, KrpcCodec.encode(new Ping(tid, querierId)));
        }
        long answered = sent.stream().filter(s -> s.message() instanceof Response).count();
        assertEquals(DhtSettings.DEFAULT.inPerIpBurst(), answered, "its burst, then nothing");
        clock.advance(Duration.ofSeconds(30));
        node.receive(querier, KrpcCodec.encode(new Ping(tid, querierId)));
        assertEquals(answered, sent.stream().filter(s -> s.message() instanceof Response).count(), "still blocked");
        clock.advance(Duration.ofSeconds(31));
        node.receive(querier, KrpcCodec.encode(new Ping(tid, querierId)));
        assertEquals(answered + 1, sent.stream().filter(s -> s.message() instanceof Response).count());
    }

    @Test
    void outgoingTrafficIsRateLimitedAndPendingQueriesBounded() {
        DhtSettings tight = new DhtSettings(4, Duration.ofSeconds(2), Duration.ofSeconds(8), 5, 16, 1000, 1000, 1000,
                1000, Duration.ofMinutes(1), 10, 10);
        DhtNode limited = new DhtNode(NodeId.random(random), tight, clock, random,
                (to, d) -> sent.add(new SentDatagram(to, d)));
        for (int i = 1; i <= 100; i++) {
            limited.receive(new InetSocketAddress("198.51.100." + i, 6881), KrpcCodec.encode(new Ping(tid, NodeId.random(random))));
        }
        assertTrue(limited.pendingQueries() <= 5, "pending bounded: " + limited.pendingQueries());
        int bytes = sent.stream().mapToInt(s -> s.datagram().length).sum();
        assertTrue(bytes <= 1000, "the burst bounds what goes out at once: " + bytes);
        assertTrue(limited.counters().droppedOut() > 0);
    }

    @Test
    void ourOwnQueriesLeaveRoomInTheOutgoingRateForAnswersToOthers() {
        DhtSettings d = DhtSettings.DEFAULT;
        DhtSettings slow = new DhtSettings(d.parallelism(), d.softTimeout(), d.hardTimeout(), d.maxPending(), 64, 1000,
                2000, d.inPerIpPerSecond(), d.inPerIpBurst(), d.inBlock(), d.maxPeersPerInfoHash(), d.maxInfoHashes());
        DhtNode busy = new DhtNode(NodeId.random(random), slow, clock, random, (to, d2) -> sent.add(new SentDatagram(to, d2)));
        for (int i = 1; i <= 40; i++) {
            busy.table(false).answered(new NodeInfo(NodeId.random(random), new InetSocketAddress("198.51.100." + i, 6881)), false);
        }
        for (int i = 0; i < 64; i++) { // far more get_peers than the burst holds: the rate is used up
            busy.lookup(NodeId.random(random), false, true, -1, peers -> { }, done -> { });
        }
        int queryBytes = sent.stream().mapToInt(s -> s.datagram().length).sum();
        assertTrue(busy.counters().droppedOut() > 0, "the lookups wanted more than the rate allowed");
        assertTrue(queryBytes <= 2000 - 2000 / 4, "our queries kept a quarter of the burst: " + queryBytes);

        long answered = 0;
        long queried = busy.counters().packetsOut();
        for (int i = 0; i < 10; i++) { // each half second: our lookups try to send (tick), then another node asks
            clock.advance(Duration.ofMillis(500));
            busy.tick();
            sent.clear();
            busy.receive(new InetSocketAddress("203.0.113." + (i + 1), 6881),
                    KrpcCodec.encode(new GetPeers(tid, NodeId.random(random), NodeId.random(random), Set.of())));
            answered += sent.stream().filter(s -> s.message() instanceof Response).count();
        }
        assertEquals(10, answered, "every get_peers from another node answered although our lookups wait for the rate");
        assertTrue(busy.counters().packetsOut() - answered > queried, "and our lookups went on meanwhile");
    }

    private Response ask(KrpcMessage.Query query) {
        sent.clear();
        node.receive(querier, KrpcCodec.encode(query));
        return sent.stream().map(SentDatagram::message).filter(Response.class::isInstance).map(Response.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no answer to " + query.method()));
    }

    private KrpcMessage.Error askForError(byte[] datagram) {
        sent.clear();
        node.receive(querier, datagram);
        return sent.stream().map(SentDatagram::message).filter(KrpcMessage.Error.class::isInstance)
                .map(KrpcMessage.Error.class::cast).findFirst().orElseThrow();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
