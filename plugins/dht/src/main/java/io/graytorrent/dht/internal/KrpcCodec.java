package io.graytorrent.dht.internal;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.dht.internal.KrpcMessage.AnnouncePeer;
import io.graytorrent.dht.internal.KrpcMessage.Error;
import io.graytorrent.dht.internal.KrpcMessage.FindNode;
import io.graytorrent.dht.internal.KrpcMessage.GetPeers;
import io.graytorrent.dht.internal.KrpcMessage.Ping;
import io.graytorrent.dht.internal.KrpcMessage.Query;
import io.graytorrent.dht.internal.KrpcMessage.Response;
import io.graytorrent.dht.internal.KrpcMessage.UnknownQuery;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Encodes and decodes KRPC datagrams (BEP 5, BEP 32 {@code nodes6}/{@code want}, BEP 42 {@code ip}). */
public final class KrpcCodec {
    /** Largest datagram read; a full get_peers answer of another client stays well below it. */
    public static final int MAX_DATAGRAM = 2048;
    public static final int MAX_TRANSACTION_ID = 16;
    public static final int MAX_TOKEN = 64;
    public static final int MAX_METHOD = 32;
    /** dictionary, arguments dictionary, list: nothing in KRPC nests deeper. */
    private static final BencodeLimits LIMITS = new BencodeLimits(MAX_DATAGRAM, 3, MAX_DATAGRAM, 400);
    private static final BencodeDecoder DECODER = new BencodeDecoder(LIMITS);

    private KrpcCodec() {
    }

    public static byte[] encode(KrpcMessage message) {
        Map<String, Object> top = new TreeMap<>();
        top.put("t", message.transactionId());
        if (message instanceof Query query) {
            top.put("y", "q");
            // a method name is bytes held one char per byte, as it was decoded
            top.put("q", query.method().getBytes(StandardCharsets.ISO_8859_1));
            top.put("a", arguments(query));
        } else if (message instanceof Response response) {
            top.put("y", "r");
            top.put("r", results(response));
            if (response.requesterAddress() != null) {
                top.put("ip", CompactAddresses.peer(response.requesterAddress()));
            }
        } else if (message instanceof Error error) {
            top.put("y", "e");
            top.put("e", List.of(error.code(), error.message()));
        }
        return BencodeEncoder.encode(top);
    }

    private static Map<String, Object> arguments(Query query) {
        Map<String, Object> a = new TreeMap<>();
        a.put("id", query.sender().bytes());
        if (query instanceof FindNode find) {
            a.put("target", find.target().bytes());
            putWant(a, find.want());
        } else if (query instanceof GetPeers get) {
            a.put("info_hash", get.infoHash().bytes());
            putWant(a, get.want());
        } else if (query instanceof AnnouncePeer announce) {
            a.put("info_hash", announce.infoHash().bytes());
            if (announce.impliedPort()) {
                a.put("implied_port", 1);
            }
            a.put("port", announce.port());
            a.put("token", announce.token());
        }
        return a;
    }

    private static void putWant(Map<String, Object> a, Set<String> want) {
        if (!want.isEmpty()) {
            a.put("want", List.copyOf(want));
        }
    }

    private static Map<String, Object> results(Response response) {
        Map<String, Object> r = new TreeMap<>();
        r.put("id", response.sender().bytes());
        putIfPresent(r, "nodes", response.nodes());
        putIfPresent(r, "nodes6", response.nodes6());
        putIfPresent(r, "token", response.token());
        if (!response.values().isEmpty()) {
            r.put("values", response.values());
        }
        return r;
    }

    private static void putIfPresent(Map<String, Object> map, String key, byte[] value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Decodes one datagram; see {@link KrpcException} for what is answered and what dropped. */
    public static KrpcMessage decode(byte[] datagram) throws KrpcException {
        BDictionary top;
        try {
            top = DECODER.decode(datagram) instanceof BDictionary d ? d : null;
        } catch (BencodeException e) {
            throw new KrpcException("not bencode: " + e.getMessage(), null);
        }
        if (top == null) {
            throw new KrpcException("not a dictionary", null);
        }
        byte[] tid = bytes(top, "t").filter(t -> t.length <= MAX_TRANSACTION_ID)
                .orElseThrow(() -> new KrpcException("no usable transaction id", null));
        String type = bytes(top, "y").map(KrpcCodec::ascii).orElse("");
        return switch (type) {
            case "q" -> query(top, tid);
            case "r" -> response(top, tid);
            case "e" -> error(top, tid);
            default -> throw new KrpcException("unknown message type '" + type + "'", null);
        };
    }

    private static Query query(BDictionary top, byte[] tid) throws KrpcException {
        String method = bytes(top, "q").filter(q -> q.length <= MAX_METHOD).map(KrpcCodec::ascii)
                .orElseThrow(() -> new KrpcException("query without a method", tid));
        BDictionary a = top.get("a").filter(BDictionary.class::isInstance).map(BDictionary.class::cast)
                .orElseThrow(() -> new KrpcException("query without arguments", tid));
        NodeId sender = id(a, "id", tid);
        return switch (method) {
            case "ping" -> new Ping(tid, sender);
            case "find_node" -> new FindNode(tid, sender, id(a, "target", tid), want(a));
            case "get_peers" -> new GetPeers(tid, sender, id(a, "info_hash", tid), want(a));
            case "announce_peer" -> announce(a, tid, sender);
            default -> new UnknownQuery(tid, sender, method);
        };
    }

    private static AnnouncePeer announce(BDictionary a, byte[] tid, NodeId sender) throws KrpcException {
        NodeId infoHash = id(a, "info_hash", tid);
        boolean implied = a.get("implied_port").filter(BInteger.class::isInstance)
                .map(v -> ((BInteger) v).value() != 0).orElse(false);
        long port = a.get("port").filter(BInteger.class::isInstance).map(v -> ((BInteger) v).value()).orElse(-1L);
        if (!implied && (port < 1 || port > 65535)) {
            throw new KrpcException("announce_peer without a valid port", tid);
        }
        byte[] token = bytes(a, "token").filter(t -> t.length <= MAX_TOKEN)
                .orElseThrow(() -> new KrpcException("announce_peer without a token", tid));
        return new AnnouncePeer(tid, sender, infoHash, (int) Math.max(0, Math.min(port, 65535)), implied, token);
    }

    private static Set<String> want(BDictionary a) {
        Set<String> want = new LinkedHashSet<>();
        a.get("want").filter(BList.class::isInstance).ifPresent(list -> {
            for (BValue v : ((BList) list).values()) {
                if (v instanceof BString s && (s.text().equals("n4") || s.text().equals("n6"))) {
                    want.add(s.text());
                }
            }
        });
        return want;
    }

    private static Response response(BDictionary top, byte[] tid) throws KrpcException {
        BDictionary r = top.get("r").filter(BDictionary.class::isInstance).map(BDictionary.class::cast)
                .orElseThrow(() -> new KrpcException("response without results", null));
        NodeId sender = id(r, "id", null);
        List<byte[]> values = new ArrayList<>();
        Optional<BValue> rawValues = r.get("values");
        if (rawValues.isPresent()) {
            if (!(rawValues.get() instanceof BList list)) {
                throw new KrpcException("values is not a list", null);
            }
            for (BValue v : list.values()) {
                if (v instanceof BString s) {
                    values.add(s.bytes());
                }
            }
        }
        InetSocketAddress ip = bytes(top, "ip").map(CompactAddresses::readPeer).orElse(null);
        byte[] token = bytes(r, "token").filter(t -> t.length <= MAX_TOKEN).orElse(null);
        return new Response(tid, sender, bytes(r, "nodes").orElse(null), bytes(r, "nodes6").orElse(null), token,
                values, ip);
    }

    private static Error error(BDictionary top, byte[] tid) throws KrpcException {
        if (top.get("e").orElse(null) instanceof BList list && list.values().size() >= 2
                && list.values().get(0) instanceof BInteger code && list.values().get(1) instanceof BString text) {
            return new Error(tid, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code.value())),
                    text.text());
        }
        throw new KrpcException("error without [code, message]", null);
    }

    private static NodeId id(BDictionary dict, String key, byte[] answerable) throws KrpcException {
        byte[] id = bytes(dict, key).orElse(null);
        if (id == null || id.length != NodeId.LENGTH) {
            throw new KrpcException("'" + key + "' is not a 20-byte id", answerable);
        }
        return NodeId.of(id);
    }

    private static Optional<byte[]> bytes(BDictionary dict, String key) {
        return dict.get(key).filter(BString.class::isInstance).map(v -> ((BString) v).bytes());
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
