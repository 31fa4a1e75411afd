package io.graytorrent.pex.internal;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ut_pex message (BEP 11), the payload of one extended message:
 * <pre>
 * d
 *   5:added     compact IPv4 peers, 6 bytes each (address, big-endian port)
 *   7:added.f   one flags byte per added peer, in the same order (see {@link PexPeer})
 *   6:added6    compact IPv6 peers, 18 bytes each
 *   8:added6.f  one flags byte per added6 peer
 *   7:dropped   compact IPv4 peers no longer connected
 *   8:dropped6  compact IPv6 peers no longer connected
 * e
 * </pre>
 * Reading is bounded: payloads over {@link #MAX_PAYLOAD} bytes are refused, at most
 * {@link #MAX_ENTRIES} peers of each list are read, a trailing partial entry is dropped, and a
 * missing flag byte reads as 0. Keys of the wrong type read as absent (BEP 10 asks to ignore what
 * is not understood).
 *
 * @param added   peers the sender connected to since its last message
 * @param dropped peers the sender lost since its last message
 */
public record PexMessage(List<PexPeer> added, List<InetSocketAddress> dropped) {
    /** Larger than any honest message (50 added of each family with flags is about 1.3 KiB). */
    public static final int MAX_PAYLOAD = 64 << 10;
    /** Peers read from each of the four lists at most. */
    public static final int MAX_ENTRIES = 200;
    private static final int IPV4 = 6;
    private static final int IPV6 = 18;
    private static final BencodeDecoder DECODER = new BencodeDecoder(new BencodeLimits(MAX_PAYLOAD, 4, MAX_PAYLOAD, 64));

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
    }

    public boolean isEmpty() {
        return added.isEmpty() && dropped.isEmpty();
    }

    /** Reads a peer's message; {@link PexProtocolException} for what is not a dictionary or too large. */
    public static PexMessage decode(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new PexProtocolException("ut_pex message of " + payload.length + " bytes, over " + MAX_PAYLOAD);
        }
        BValue value;
        try {
            value = DECODER.decode(payload);
        } catch (BencodeException e) {
            throw new PexProtocolException("ut_pex message is not bencode: " + e.getMessage());
        }
        if (!(value instanceof BDictionary dict)) {
            throw new PexProtocolException("ut_pex message is not a dictionary");
        }
        List<PexPeer> added = new ArrayList<>(peers(dict, "added", "added.f", IPV4));
        added.addAll(peers(dict, "added6", "added6.f", IPV6));
        List<InetSocketAddress> dropped = new ArrayList<>();
        peers(dict, "dropped", "", IPV4).forEach(p -> dropped.add(p.address()));
        peers(dict, "dropped6", "", IPV6).forEach(p -> dropped.add(p.address()));
        return new PexMessage(added, dropped);
    }

    private static List<PexPeer> peers(BDictionary dict, String key, String flagsKey, int size) {
        byte[] compact = bytes(dict, key);
        byte[] flags = bytes(dict, flagsKey);
        List<PexPeer> peers = new ArrayList<>();
        for (int i = 0; (i + 1) * size <= compact.length && i < MAX_ENTRIES; i++) {
            ByteBuffer entry = ByteBuffer.wrap(compact, i * size, size);
            byte[] ip = new byte[size - 2];
            entry.get(ip);
            peers.add(new PexPeer(new InetSocketAddress(address(ip), entry.getShort() & 0xffff),
                    i < flags.length ? flags[i] & 0xff : 0));
        }
        return peers;
    }

    private static byte[] bytes(BDictionary dict, String key) {
        return dict.get(key).orElse(null) instanceof BString s ? s.bytes() : new byte[0];
    }

    private static InetAddress address(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are always an address", impossible);
        }
    }

    /** The payload to send; lists with nothing in them are left out. */
    public byte[] encode() {
        Map<String, Object> fields = new TreeMap<>();
        put(fields, "added", compact(added.stream().map(PexPeer::address).filter(PexMessage::isIpv4).toList()));
        put(fields, "added.f", flags(added.stream().filter(p -> isIpv4(p.address())).toList()));
        put(fields, "added6", compact(added.stream().map(PexPeer::address).filter(a -> !isIpv4(a)).toList()));
        put(fields, "added6.f", flags(added.stream().filter(p -> !isIpv4(p.address())).toList()));
        put(fields, "dropped", compact(dropped.stream().filter(PexMessage::isIpv4).toList()));
        put(fields, "dropped6", compact(dropped.stream().filter(a -> !isIpv4(a)).toList()));
        return BencodeEncoder.encode(fields);
    }

    private static void put(Map<String, Object> fields, String key, byte[] value) {
        if (value.length > 0) {
            fields.put(key, value);
        }
    }

    private static boolean isIpv4(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address;
    }

    private static byte[] compact(List<InetSocketAddress> addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (InetSocketAddress address : addresses) {
            out.writeBytes(address.getAddress().getAddress());
            out.write(address.getPort() >> 8);
            out.write(address.getPort());
        }
        return out.toByteArray();
    }

    private static byte[] flags(List<PexPeer> peers) {
        byte[] flags = new byte[peers.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = (byte) peers.get(i).flags();
        }
        return flags;
    }
}
