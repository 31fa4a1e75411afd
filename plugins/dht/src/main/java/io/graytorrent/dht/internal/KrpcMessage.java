package io.graytorrent.dht.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * One KRPC message (BEP 5): a bencoded dictionary with the transaction id {@code t} (opaque bytes
 * the querier chose, echoed in the answer) and the type {@code y}: "q" query, "r" response, "e"
 * error. Binary fields (ids, tokens, compact nodes and peers) are raw bytes.
 */
public sealed interface KrpcMessage {

    byte[] transactionId();

    /** {@code {"t":T, "y":"q", "q":METHOD, "a":{"id":SENDER, ...arguments}}} */
    sealed interface Query extends KrpcMessage {
        NodeId sender();

        String method();
    }

    /** {@code a = {"id":SENDER}}; answered with just the responder's id. */
    record Ping(byte[] transactionId, NodeId sender) implements Query {
        public String method() {
            return "ping";
        }
    }

    /**
     * {@code a = {"id":SENDER, "target":ID, "want":["n4","n6"]?}}; answered with {@code nodes}
     * (and/or {@code nodes6}, BEP 32), the responder's closest nodes to the target.
     */
    record FindNode(byte[] transactionId, NodeId sender, NodeId target, Set<String> want) implements Query {
        public String method() {
            return "find_node";
        }
    }

    /**
     * {@code a = {"id":SENDER, "info_hash":IH, "want":[...]?}}; answered with a {@code token} and
     * {@code values} (compact peers) if the responder stores any, else {@code nodes}/{@code nodes6}.
     */
    record GetPeers(byte[] transactionId, NodeId sender, NodeId infoHash, Set<String> want) implements Query {
        public String method() {
            return "get_peers";
        }
    }

    /**
     * {@code a = {"id":SENDER, "implied_port":0|1?, "info_hash":IH, "port":P, "token":TOKEN}}: the
     * sender is a peer of IH on port P, or on the UDP source port when implied_port is 1.
     */
    record AnnouncePeer(byte[] transactionId, NodeId sender, NodeId infoHash, int port, boolean impliedPort,
            byte[] token) implements Query {
        public String method() {
            return "announce_peer";
        }
    }

    /** A well-formed query of a method we do not know; answered with error 204. */
    record UnknownQuery(byte[] transactionId, NodeId sender, String method) implements Query {
    }

    /**
     * {@code {"t":T, "y":"r", "r":{"id":RESPONDER, "nodes":N?, "nodes6":N6?, "token":TOK?,
     * "values":[PEER, ...]?}, "ip":COMPACT_ADDRESS?}}: {@code ip} is the querier's address as the
     * responder saw it (BEP 42). Absent binary fields are null, absent values an empty list.
     */
    record Response(byte[] transactionId, NodeId sender, byte[] nodes, byte[] nodes6, byte[] token,
            List<byte[]> values, InetSocketAddress requesterAddress) implements KrpcMessage {
        public Response {
            values = List.copyOf(values);
        }

        /** A bare answer (to ping or announce_peer) that tells the querier its address. */
        public static Response of(byte[] transactionId, NodeId sender, InetSocketAddress requesterAddress) {
            return new Response(transactionId, sender, null, null, null, List.of(), requesterAddress);
        }
    }

    /** {@code {"t":T, "y":"e", "e":[CODE, MESSAGE]}} */
    record Error(byte[] transactionId, int code, String message) implements KrpcMessage {
        public static final int GENERIC = 201;
        public static final int SERVER = 202;
        public static final int PROTOCOL = 203;
        public static final int METHOD_UNKNOWN = 204;
    }
}
