package io.graytorrent.lsd.internal;

import io.graytorrent.api.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A BEP 14 announce, one UDP datagram:
 * <pre>
 * BT-SEARCH * HTTP/1.1\r\n
 * Host: 239.192.152.143:6771\r\n        (or [ff15::efc0:988f]:6771)
 * Port: 6881\r\n                         (our peer wire's port, decimal)
 * Infohash: 40 hex digits\r\n           (once per torrent, consecutive)
 * cookie: opaque\r\n                     (optional; ours lets us drop our own announces)
 * \r\n
 * \r\n
 * </pre>
 * Parsing is bounded: a datagram over {@value #MAX_DATAGRAM} bytes is refused before it is read,
 * header names are matched without regard to case, unknown headers are skipped, and an Infohash
 * that is not 40 hex digits is left out (as libtorrent does) rather than failing the others.
 *
 * @param port       where the announcing peer listens, 1..65535
 * @param infoHashes the torrents it announces, at least one
 * @param cookie     its cookie, or empty
 */
public record LsdMessage(int port, List<InfoHash> infoHashes, String cookie) {
    /** Larger datagrams are refused; BEP 14 asks senders to stay under 1400 bytes. */
    public static final int MAX_DATAGRAM = 1500;
    /** What {@link #encode} keeps each datagram under, as BEP 14 asks. */
    public static final int MAX_SENT = 1400;
    private static final String REQUEST_LINE = "BT-SEARCH * HTTP/1.1";
    private static final int MAX_COOKIE = 64;

    public LsdMessage {
        infoHashes = List.copyOf(infoHashes);
        if (port < 1 || port > 65535 || infoHashes.isEmpty() || cookie.length() > MAX_COOKIE) {
            throw new IllegalArgumentException("an LSD announce needs a port in 1..65535, an infohash and a short cookie");
        }
    }

    /** The datagram, addressed to {@code host} ("239.192.152.143:6771" or "[ff15::efc0:988f]:6771"). */
    public byte[] encode(String host) {
        StringBuilder text = new StringBuilder(REQUEST_LINE).append("\r\nHost: ").append(host)
                .append("\r\nPort: ").append(port).append("\r\n");
        for (InfoHash infoHash : infoHashes) {
            text.append("Infohash: ").append(infoHash.toHex()).append("\r\n");
        }
        if (!cookie.isEmpty()) {
            text.append("cookie: ").append(cookie).append("\r\n");
        }
        return text.append("\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** How many infohashes one datagram to {@code host} carries within {@link #MAX_SENT} bytes. */
    public static int infoHashesPerDatagram(String host, String cookie) {
        int withOne = new LsdMessage(65535, List.of(InfoHash.of(new byte[InfoHash.LENGTH])), cookie).encode(host).length;
        int perInfoHash = "Infohash: \r\n".length() + InfoHash.LENGTH * 2;
        return 1 + Math.max(0, (MAX_SENT - withOne) / perInfoHash);
    }

    /** Reads the first {@code length} bytes of {@code datagram}. */
    public static LsdMessage parse(byte[] datagram, int length) throws LsdFormatException {
        if (length > MAX_DATAGRAM) {
            throw new LsdFormatException("datagram of " + length + " bytes, over " + MAX_DATAGRAM);
        }
        String text = new String(datagram, 0, length, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\n');
        if (end < 0 || !text.substring(0, end).strip().equals(REQUEST_LINE)) {
            throw new LsdFormatException("not a BT-SEARCH request");
        }
        int port = -1;
        String cookie = "";
        List<InfoHash> infoHashes = new ArrayList<>();
        for (int start = end + 1; start < text.length(); start = end + 1) {
            end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end).strip();
            if (line.isEmpty()) {
                break; // the end of the headers
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new LsdFormatException("a header line without a name");
            }
            String value = line.substring(colon + 1).strip();
            switch (line.substring(0, colon).strip().toLowerCase(Locale.ROOT)) {
                case "port" -> port = port(value);
                case "infohash" -> infoHash(value, infoHashes);
                case "cookie" -> cookie = value.length() <= MAX_COOKIE ? value : "";
                default -> { } // BEP 14: headers not understood are ignored
            }
        }
        if (port < 0) {
            throw new LsdFormatException("no Port header");
        }
        if (infoHashes.isEmpty()) {
            throw new LsdFormatException("no valid Infohash header");
        }
        return new LsdMessage(port, infoHashes, cookie);
    }

    private static int port(String value) throws LsdFormatException {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new LsdFormatException("Port is not a decimal number");
        }
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65535) {
            throw new LsdFormatException("Port " + port + " is out of range");
        }
        return port;
    }

    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static void infoHash(String value, List<InfoHash> infoHashes) {
        if (value.length() == InfoHash.LENGTH * 2 && value.chars().allMatch(LsdMessage::isHexDigit)) {
            InfoHash infoHash = InfoHash.parse(value.toLowerCase(Locale.ROOT));
            if (!infoHashes.contains(infoHash)) {
                infoHashes.add(infoHash);
            }
        }
    }
}
