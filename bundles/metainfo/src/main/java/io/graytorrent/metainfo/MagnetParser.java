package io.graytorrent.metainfo;

import io.graytorrent.api.InfoHash;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads magnet links: {@code magnet:?xt=urn:btih:HASH} (40 hex or 32 base32 digits), a hybrid's
 * {@code xt=urn:btmh:1220HASH} (its v2 infohash, a SHA-256 multihash) beside it, with the optional
 * {@code dn}, {@code tr} / {@code tr.N}, {@code x.pe}, {@code ws} and {@code so} (BEP 53) parameters.
 * Parameter names are case-sensitive, as in libtorrent; values are percent-decoded ({@code +} is a
 * space) as UTF-8. Unknown parameters are ignored, as are {@code xt}s of other networks. A link
 * with only a {@code btmh} is a v2-only torrent: its {@link MagnetLink#infoHash()} is the v2 infohash
 * truncated to 20 bytes, as v2 peers, trackers and the DHT know it. Every dimension is bounded, so a
 * hostile link costs at most a few times its length in memory.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MagnetParser {
    /** Longest link accepted, in characters. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** Most trackers, peers or web seeds one link may name (each). */
    public static final int MAX_ENTRIES = 200;
    /** Most comma-separated items in the {@code so} parameters together. */
    public static final int MAX_FILE_RANGES = 1000;

    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";
    private static final String BTMH = "urn:btmh:";
    /** The multihash prefix of a SHA-256 digest: function 0x12, 32 bytes. */
    private static final String SHA256_MULTIHASH = "1220";
    private static final Pattern TIER_KEY = Pattern.compile("tr\\.([0-9]{1,6})");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9]{1,16})?");
    private static final Pattern INDEX = Pattern.compile("[0-9]{1,7}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /** Parses {@code uri}; surrounding whitespace is ignored. */
    public MagnetLink parse(String uri) throws MagnetException {
        String text = uri.strip();
        if (text.length() > MAX_LENGTH) {
            throw new MagnetException("magnet link of " + text.length() + " characters exceeds the limit of " + MAX_LENGTH);
        }
        if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new MagnetException("not a magnet link (it must start with magnet:?)");
        }
        Links links = new Links();
        for (String parameter : text.substring(PREFIX.length()).split("&")) {
            if (!parameter.isEmpty()) {
                int equals = parameter.indexOf('=');
                String key = decode(equals < 0 ? parameter : parameter.substring(0, equals), "a parameter name");
                String value = equals < 0 ? "" : decode(parameter.substring(equals + 1), "parameter " + key);
                links.add(key, value);
            }
        }
        return links.toMagnetLink();
    }

    /** What the parameters said so far. */
    private static final class Links {
        InfoHash infoHash;
        InfoHashV2 infoHashV2;
        boolean otherTopic;
        String displayName;
        final List<List<String>> plainTiers = new ArrayList<>();
        final Map<Integer, List<String>> indexedTiers = new TreeMap<>();
        int trackers;
        final List<InetSocketAddress> peers = new ArrayList<>();
        final List<String> webSeeds = new ArrayList<>();
        final List<MagnetLink.FileRange> selected = new ArrayList<>();

        void add(String key, String value) throws MagnetException {
            switch (key) {
                case "xt" -> exactTopic(value);
                case "dn" -> displayName = value;
                case "tr" -> tracker(value, null);
                case "x.pe" -> {
                    bound(peers.size(), "x.pe peers");
                    peers.add(peerAddress(value));
                }
                case "ws" -> {
                    if (!value.isBlank()) {
                        bound(webSeeds.size(), "ws web seeds");
                        webSeeds.add(value.strip());
                    }
                }
                case "so" -> fileSelection(value);
                default -> {
                    var tier = key.startsWith("tr.") ? TIER_KEY.matcher(key) : null;
                    if (tier != null && tier.matches()) {
                        tracker(value, Integer.parseInt(tier.group(1)));
                    } // any other parameter is someone else's extension
                }
            }
        }

        private void exactTopic(String value) throws MagnetException {
            if (value.regionMatches(true, 0, BTMH, 0, BTMH.length())) {
                v2Topic(value.substring(BTMH.length()));
                return;
            }
            if (!value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                otherTopic = true; // a topic of another network
                return;
            }
            InfoHash parsed;
            try {
                parsed = InfoHash.parse(value.substring(BTIH.length()));
            } catch (IllegalArgumentException e) {
                throw new MagnetException("bad xt: " + e.getMessage());
            }
            if (infoHash != null && !infoHash.equals(parsed)) {
                throw new MagnetException("the magnet link names two different infohashes");
            }
            infoHash = parsed;
        }

        private void v2Topic(String multihash) throws MagnetException {
            InfoHashV2 parsed;
            try {
                if (!multihash.startsWith(SHA256_MULTIHASH)) {
                    throw new IllegalArgumentException("not a SHA-256 multihash");
                }
                parsed = InfoHashV2.parse(multihash.substring(SHA256_MULTIHASH.length()));
            } catch (IllegalArgumentException e) {
                throw new MagnetException("bad xt: urn:btmh: takes 1220 and 64 hex digits (a SHA-256 multihash)");
            }
            if (infoHashV2 != null && !infoHashV2.equals(parsed)) {
                throw new MagnetException("the magnet link names two different v2 infohashes");
            }
            infoHashV2 = parsed;
        }

        private void tracker(String url, Integer tierIndex) throws MagnetException {
            if (url.isBlank()) {
                return;
            }
            bound(trackers++, "tr trackers");
            if (tierIndex == null) {
                plainTiers.add(List.of(url.strip()));
            } else {
                indexedTiers.computeIfAbsent(tierIndex, i -> new ArrayList<>()).add(url.strip());
            }
        }

        private void fileSelection(String value) throws MagnetException {
            for (String item : value.split(",", -1)) {
                if (selected.size() >= MAX_FILE_RANGES) {
                    throw new MagnetException("so selects more than " + MAX_FILE_RANGES + " ranges of files");
                }
                int dash = item.indexOf('-');
                int first = fileIndex(dash < 0 ? item : item.substring(0, dash), value);
                int last = dash < 0 ? first : fileIndex(item.substring(dash + 1), value);
                if (last < first) {
                    throw new MagnetException("so range " + item + " runs backwards");
                }
                selected.add(new MagnetLink.FileRange(first, last));
            }
        }

        private static int fileIndex(String text, String value) throws MagnetException {
            if (!INDEX.matcher(text).matches() || Integer.parseInt(text) >= MetainfoParser.MAX_FILES) {
                throw new MagnetException("so=" + value + " is not a list of file indexes and ranges like 0,2,4-6");
            }
            return Integer.parseInt(text);
        }

        private static void bound(int count, String what) throws MagnetException {
            if (count >= MAX_ENTRIES) {
                throw new MagnetException("the magnet link has more than " + MAX_ENTRIES + " " + what);
            }
        }

        MagnetLink toMagnetLink() throws MagnetException {
            if (infoHash == null && infoHashV2 != null) {
                infoHash = infoHashV2.truncated(); // v2-only: BEP 52 puts the first 20 bytes on the wire
            }
            if (infoHash == null) {
                throw new MagnetException(otherTopic
                        ? "only BitTorrent magnet links (xt=urn:btih: or xt=urn:btmh:) are supported"
                        : "the magnet link has no xt=urn:btih: or xt=urn:btmh: infohash");
            }
            List<List<String>> tiers = new ArrayList<>(plainTiers);
            tiers.addAll(indexedTiers.values());
            Optional<String> name = Optional.ofNullable(displayName).map(String::strip).filter(n -> !n.isEmpty());
            return new MagnetLink(infoHash, Optional.ofNullable(infoHashV2), name, tiers, peers, webSeeds, selected);
        }
    }

    /** host:port, an IPv6 literal in brackets. */
    private static InetSocketAddress peerAddress(String text) throws MagnetException {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        String port = colon < 0 ? "" : text.substring(colon + 1);
        if (!(bracketed ? IPV6 : HOST).matcher(host).matches() || !PORT.matcher(port).matches()
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new MagnetException("x.pe=" + text + " is not host:port (an IPv6 address in brackets)");
        }
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(port));
    }

    /** Percent-decodes {@code text} ({@code +} is a space) and reads the bytes as strict UTF-8. */
    private static String decode(String text, String what) throws MagnetException {
        if (text.indexOf('%') < 0) {
            return text.replace('+', ' ');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (low < 0) {
                    throw new MagnetException("bad percent-encoding in " + what);
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MagnetException(what + " is not UTF-8 once percent-decoded");
        }
    }
}
