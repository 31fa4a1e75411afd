package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.dht.internal.KrpcMessage.AnnouncePeer;
import io.graytorrent.dht.internal.KrpcMessage.FindNode;
import io.graytorrent.dht.internal.KrpcMessage.GetPeers;
import io.graytorrent.dht.internal.KrpcMessage.Ping;
import io.graytorrent.dht.internal.KrpcMessage.Response;
import io.graytorrent.dht.internal.KrpcMessage.UnknownQuery;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

@Unit
class KrpcCodecTest {

    /** Every "bencoded = ..." example of bep_0005.rst. */
    @ParameterizedTest
    @ValueSource(strings = {
        "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
        "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
        "d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
        "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
        "d1:rd2:id20:abcdefghij01234567895:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
    })
    void specExamplesRoundTripByteForByte(String example) throws KrpcException {
        byte[] wire = ascii(example);
        assertArrayEquals(wire, KrpcCodec.encode(KrpcCodec.decode(wire)));
    }

    @Test
    void specExamplesDecodeToTheirFields() throws KrpcException {
        Ping ping = assertInstanceOf(Ping.class,
                KrpcCodec.decode(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")));
        assertEquals(id("abcdefghij0123456789"), ping.sender());
        assertArrayEquals(ascii("aa"), ping.transactionId());

        FindNode find = assertInstanceOf(FindNode.class, KrpcCodec.decode(ascii(
                "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe")));
        assertEquals(id("mnopqrstuvwxyz123456"), find.target());

        GetPeers get = assertInstanceOf(GetPeers.class, KrpcCodec.decode(ascii(
                "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe")));
        assertEquals(id("mnopqrstuvwxyz123456"), get.infoHash());

        AnnouncePeer announce = assertInstanceOf(AnnouncePeer.class, KrpcCodec.decode(ascii(
                "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")));
        assertTrue(announce.impliedPort());
        assertEquals(6881, announce.port());
        assertArrayEquals(ascii("aoeusnth"), announce.token());

        Response values = assertInstanceOf(Response.class, KrpcCodec.decode(ascii(
                "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re")));
        assertEquals(2, values.values().size());
        assertArrayEquals(ascii("axje.u"), values.values().get(0));
        assertNull(values.nodes());

        KrpcMessage.Error error = assertInstanceOf(KrpcMessage.Error.class,
                KrpcCodec.decode(ascii("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")));
        assertEquals(201, error.code());
        assertEquals("A Generic Error Ocurred", error.message());
    }

    @Test
    void nodes6WantAndIpRoundTrip() throws KrpcException {
        NodeInfo v6 = new NodeInfo(id("mnopqrstuvwxyz123456"), new InetSocketAddress("2001:db8::1", 6881));
        NodeInfo v4 = new NodeInfo(id("abcdefghij0123456789"), new InetSocketAddress("10.1.2.3", 51413));
        Response response = new Response(ascii("xy"), id("0123456789abcdefghij"),
                CompactAddresses.nodes(List.of(v4, v6), false), CompactAddresses.nodes(List.of(v4, v6), true),
                ascii("tok"), List.of(), new InetSocketAddress("203.0.113.9", 4000));
        Response decoded = (Response) KrpcCodec.decode(KrpcCodec.encode(response));
        assertEquals(List.of(v4), CompactAddresses.readNodes(decoded.nodes(), false, 8));
        assertEquals(List.of(v6), CompactAddresses.readNodes(decoded.nodes6(), true, 8));
        assertEquals(26, decoded.nodes().length);
        assertEquals(38, decoded.nodes6().length);
        assertEquals(new InetSocketAddress("203.0.113.9", 4000), decoded.requesterAddress());

        FindNode find = new FindNode(ascii("t1"), id("abcdefghij0123456789"), id("mnopqrstuvwxyz123456"),
                Set.of("n6"));
        byte[] wire = KrpcCodec.encode(find);
        assertTrue(new String(wire, StandardCharsets.ISO_8859_1).contains("4:wantl2:n6e"));
        assertEquals(Set.of("n6"), ((FindNode) KrpcCodec.decode(wire)).want());
    }

    @Test
    void malformedQueriesWithATransactionIdEarnA203() {
        for (String bad : List.of(
                "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe", // short id
                "d1:q4:ping1:t2:aa1:y1:qe", // no arguments
                "d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe", // no target
                "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234565:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe", // no port
                "d1:ad2:id20:abcdefghij0123456789e1:t2:aa1:y1:qe")) { // no method
            KrpcException e = assertThrows(KrpcException.class, () -> KrpcCodec.decode(ascii(bad)), bad);
            assertArrayEquals(ascii("aa"), e.answerableTransactionId(), bad);
        }
    }

    @Test
    void garbageAndBadResponsesAreDroppedUnanswered() {
        for (String bad : List.of("", "i5e", "d1:y1:qe", "d1:t2:aa1:y1:xe", "d1:rd2:id3:abce1:t2:aa1:y1:re",
                "d1:t2:aa1:y1:ee", "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t17:aaaaaaaaaaaaaaaaa1:y1:qe",
                "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:q", "l".repeat(10) + "e".repeat(10))) {
            KrpcException e = assertThrows(KrpcException.class, () -> KrpcCodec.decode(ascii(bad)), bad);
            assertNull(e.answerableTransactionId(), bad);
        }
        byte[] oversized = new byte[KrpcCodec.MAX_DATAGRAM + 1];
        assertThrows(KrpcException.class, () -> KrpcCodec.decode(oversized));
    }

    @Test
    void unknownMethodsDecodeForA204() throws KrpcException {
        UnknownQuery q = assertInstanceOf(UnknownQuery.class,
                KrpcCodec.decode(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:aa1:y1:qe")));
        assertEquals("vote", q.method());
    }

    @Test
    void anUnknownMethodsBytesSurviveReEncoding() throws KrpcException {
        byte[] wire = ascii("d1:ad2:id20:abcdefghij0123456789e1:q5:\u00fe\u00ff\u0001ab1:t2:aa1:y1:qe");
        assertArrayEquals(wire, KrpcCodec.encode(KrpcCodec.decode(wire)));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static NodeId id(String twenty) {
        return NodeId.of(ascii(twenty));
    }
}
