package io.graytorrent.tracker.http.internal;

import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerException;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads bencoded tracker replies (BEP 3, 23, 7, 24, 48) into api values. Anything malformed is a
 * {@link TrackerException} saying what; peers with an impossible port or a non-literal address are
 * skipped (one bad entry should not cost the rest), and at most {@link #MAX_PEERS} are kept.
 */
final class HttpTrackerReplies {
    static final int MAX_PEERS = 500;
    /** Longest interval we accept from a tracker; a larger one is clamped, so a typo cannot silence it for days. */
    static final Duration MAX_INTERVAL = Duration.ofHours(2);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private final BencodeDecoder decoder;

    HttpTrackerReplies(int maxReplyBytes) {
        this.decoder = new BencodeDecoder(new BencodeLimits(maxReplyBytes, 8, maxReplyBytes, 100_000));
    }

    AnnounceResponse announce(byte[] body) throws TrackerException {
        BDictionary reply = dictionary(body);
        Duration interval = clamp(Duration.ofSeconds(positive(reply, "interval")
                .orElseThrow(() -> new TrackerException("the tracker's reply has no interval"))));
        Optional<Duration> minInterval = optionalInt(reply, "min interval").stream()
                .mapToObj(seconds -> clamp(Duration.ofSeconds(Math.max(seconds, 0)))).findFirst();
        List<InetSocketAddress> peers = new ArrayList<>();
        BValue ipv4 = reply.get("peers").orElse(null);
        if (ipv4 instanceof BString compact) {
            compactPeers(compact.bytes(), 4, peers);
        } else if (ipv4 instanceof BList list) {
            dictionaryPeers(list, peers);
        } else if (ipv4 != null) {
            throw new TrackerException("peers is neither a string nor a list");
        }
        if (reply.get("peers6").isPresent()) {
            compactPeers(string(reply, "peers6").orElseThrow(), 16, peers);
        }
        return new AnnounceResponse(interval, minInterval, peers, optionalInt(reply, "complete"),
                optionalInt(reply, "incomplete"), text(reply, "warning message"), text(reply, "tracker id"),
                externalIp(reply));
    }

    /** BEP 24 {@code external ip}: 4 or 16 bytes of address; any other length is ignored, as a hint we can do without. */
    private static Optional<InetAddress> externalIp(BDictionary reply) throws TrackerException {
        return string(reply, "external ip").filter(b -> b.length == 4 || b.length == 16).map(HttpTrackerReplies::address);
    }

    private static InetAddress address(byte[] fourOrSixteenBytes) {
        try {
            return InetAddress.getByAddress(fourOrSixteenBytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
        }
    }

    ScrapeResponse scrape(byte[] body, InfoHash infoHash) throws TrackerException {
        BDictionary files = dictionary(dictionary(body).get("files").orElseThrow(
                () -> new TrackerException("the scrape reply has no files")), "files");
        BValue entry = files.get(new String(infoHash.toBytes(), StandardCharsets.ISO_8859_1)).orElseThrow(
                () -> new TrackerException("the scrape reply does not list " + infoHash.toHex()));
        BDictionary counts = dictionary(entry, "the torrent's scrape entry");
        return new ScrapeResponse(optionalInt(counts, "complete").orElse(0), optionalInt(counts, "downloaded").orElse(0),
                optionalInt(counts, "incomplete").orElse(0));
    }

    /** The reply's top dictionary; a {@code failure reason} becomes the exception's message. */
    private BDictionary dictionary(byte[] body) throws TrackerException {
        BValue value;
        try {
            value = decoder.decode(body);
        } catch (BencodeException e) {
            throw new TrackerException("the tracker's reply is not valid bencode: " + e.getMessage(), e);
        }
        BDictionary reply = dictionary(value, "the tracker's reply");
        Optional<String> failure = text(reply, "failure reason");
        if (failure.isPresent()) {
            throw new TrackerException(failure.get());
        }
        return reply;
    }

    private static BDictionary dictionary(BValue value, String what) throws TrackerException {
        if (value instanceof BDictionary dictionary) {
            return dictionary;
        }
        throw new TrackerException(what + " is not a dictionary");
    }

    private static void compactPeers(byte[] bytes, int addressLength, List<InetSocketAddress> peers) throws TrackerException {
        int stride = addressLength + 2;
        if (bytes.length % stride != 0) {
            throw new TrackerException("compact peers of " + bytes.length + " bytes are not a whole number of "
                    + stride + "-byte entries");
        }
        for (int at = 0; at < bytes.length && peers.size() < MAX_PEERS; at += stride) {
            int port = (bytes[at + addressLength] & 0xff) << 8 | bytes[at + addressLength + 1] & 0xff;
            if (port != 0) {
                peers.add(new InetSocketAddress(address(Arrays.copyOfRange(bytes, at, at + addressLength)), port));
            }
        }
    }

    private static void dictionaryPeers(BList list, List<InetSocketAddress> peers) {
        for (BValue value : list.values()) {
            if (peers.size() >= MAX_PEERS) {
                return;
            }
            if (value instanceof BDictionary peer
                    && peer.get("ip").orElse(null) instanceof BString ip
                    && peer.get("port").orElse(null) instanceof BInteger port
                    && port.value() > 0 && port.value() <= 0xffff) {
                literal(ip.text()).ifPresent(address -> peers.add(new InetSocketAddress(address, (int) port.value())));
            }
        }
    }

    /** An IP literal; a host name is refused rather than resolved, so a tracker cannot make us query DNS. */
    private static Optional<InetAddress> literal(String text) {
        boolean looksLiteral = IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && IPV6.matcher(text).matches());
        if (!looksLiteral) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Duration clamp(Duration interval) {
        return interval.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : interval;
    }

    private static OptionalInt positive(BDictionary reply, String key) throws TrackerException {
        OptionalInt value = optionalInt(reply, key);
        if (value.isPresent() && value.getAsInt() <= 0) {
            throw new TrackerException(key + " " + value.getAsInt() + " is not positive");
        }
        return value;
    }

    private static OptionalInt optionalInt(BDictionary reply, String key) throws TrackerException {
        Optional<BValue> value = reply.get(key);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (!(value.get() instanceof BInteger integer)) {
            throw new TrackerException(key + " is not an integer");
        }
        return OptionalInt.of((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, integer.value())));
    }

    private static Optional<byte[]> string(BDictionary reply, String key) throws TrackerException {
        Optional<BValue> value = reply.get(key);
        if (value.isPresent() && !(value.get() instanceof BString)) {
            throw new TrackerException(key + " is not a string");
        }
        return value.map(v -> ((BString) v).bytes());
    }

    private static Optional<String> text(BDictionary reply, String key) throws TrackerException {
        return string(reply, key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }
}
