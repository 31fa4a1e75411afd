package io.graytorrent.tracker.udp.internal;

import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * BEP 15 packets, big-endian. Replies may be longer than described (extensions append); only
 * minimum sizes are checked. The wire format of each packet is written beside its method.
 */
final class UdpPackets {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    /** BEP 41 option types. */
    static final int OPTION_END = 0;
    static final int OPTION_URL_DATA = 2;
    static final int MAX_PEERS = 500;
    static final Duration MAX_INTERVAL = Duration.ofHours(2);

    private UdpPackets() {
    }

    /** i64 protocol id 0x41727101980 | i32 action 0 | i32 transaction id. */
    static byte[] connect(int transactionId) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).array();
    }

    /**
     * i64 connection id | i32 action 1 | i32 transaction id | 20B info hash | 20B peer id | i64 downloaded
     * | i64 left | i64 uploaded | i32 event | u32 ip (0) | u32 key | i32 num want | u16 port
     * | BEP 41 options: (u8 2 | u8 length | the URL's path and query, in chunks of at most 255 bytes)* | u8 0.
     */
    static byte[] announce(long connectionId, int transactionId, AnnounceRequest request) {
        byte[] urlData = urlData(request.tracker());
        int chunks = (urlData.length + 254) / 255;
        ByteBuffer packet = ByteBuffer.allocate(98 + (urlData.length == 0 ? 0 : urlData.length + 2 * chunks + 1))
                .putLong(connectionId).putInt(ANNOUNCE).putInt(transactionId)
                .put(request.infoHash().toBytes()).put(request.peerId())
                .putLong(request.downloaded()).putLong(request.left()).putLong(request.uploaded())
                .putInt(request.event().ordinal()).putInt(0).putInt(request.key()).putInt(request.numWant())
                .putShort((short) request.port());
        for (int at = 0; at < urlData.length; at += 255) {
            int length = Math.min(255, urlData.length - at);
            packet.put((byte) OPTION_URL_DATA).put((byte) length).put(urlData, at, length);
        }
        if (urlData.length > 0) {
            packet.put((byte) OPTION_END);
        }
        return packet.array();
    }

    /** BEP 41: the path and query of the announce URL, so one tracker can serve several paths. */
    static byte[] urlData(URI tracker) {
        String path = tracker.getRawPath() == null ? "" : tracker.getRawPath();
        String query = tracker.getRawQuery() == null ? "" : "?" + tracker.getRawQuery();
        return (path.equals("/") && query.isEmpty() ? "" : path + query).getBytes(StandardCharsets.UTF_8);
    }

    /** i64 connection id | i32 action 2 | i32 transaction id | 20B info hash. */
    static byte[] scrape(long connectionId, int transactionId, InfoHash infoHash) {
        return ByteBuffer.allocate(36).putLong(connectionId).putInt(SCRAPE).putInt(transactionId)
                .put(infoHash.toBytes()).array();
    }

    /** i32 action 0 | i32 transaction id | i64 connection id. */
    static long connectionId(ByteBuffer reply) throws TrackerException {
        requireLength(reply, 16, "connect");
        return reply.getLong(8);
    }

    /**
     * i32 action 1 | i32 transaction id | i32 interval | i32 leechers | i32 seeders
     * | peers: (4B IPv4 | u16 port)* from an IPv4 tracker, (16B IPv6 | u16 port)* from an IPv6 one.
     */
    static AnnounceResponse announceReply(ByteBuffer reply, int addressLength) throws TrackerException {
        requireLength(reply, 20, "announce");
        int interval = reply.getInt(8);
        if (interval <= 0) {
            throw new TrackerException("interval " + interval + " is not positive");
        }
        int stride = addressLength + 2;
        List<InetSocketAddress> peers = new ArrayList<>();
        byte[] address = new byte[addressLength];
        for (int at = 20; at + stride <= reply.limit() && peers.size() < MAX_PEERS; at += stride) {
            reply.get(at, address);
            int port = reply.getShort(at + addressLength) & 0xffff;
            if (port != 0) {
                try {
                    peers.add(new InetSocketAddress(InetAddress.getByAddress(address), port));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
                }
            }
        }
        Duration wait = Duration.ofSeconds(interval);
        return new AnnounceResponse(wait.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : wait, Optional.empty(), peers,
                OptionalInt.of(Math.max(0, reply.getInt(16))), OptionalInt.of(Math.max(0, reply.getInt(12))),
                Optional.empty(), Optional.empty());
    }

    /** i32 action 2 | i32 transaction id | (i32 seeders | i32 completed | i32 leechers) per hash asked. */
    static ScrapeResponse scrapeReply(ByteBuffer reply) throws TrackerException {
        requireLength(reply, 20, "scrape");
        return new ScrapeResponse(reply.getInt(8), reply.getInt(12), reply.getInt(16));
    }

    /** i32 action 3 | i32 transaction id | UTF-8 message. */
    static String errorMessage(ByteBuffer reply) {
        // safe on its own, not only behind the receiver's minimum length: a short datagram says nothing
        if (reply.limit() <= 8) {
            return "";
        }
        byte[] message = new byte[Math.min(reply.limit() - 8, 1024)];
        reply.get(8, message);
        return new String(message, StandardCharsets.UTF_8);
    }

    private static void requireLength(ByteBuffer reply, int minimum, String action) throws TrackerException {
        if (reply.limit() < minimum) {
            throw new TrackerException("the " + action + " reply of " + reply.limit() + " bytes is shorter than " + minimum);
        }
    }
}
