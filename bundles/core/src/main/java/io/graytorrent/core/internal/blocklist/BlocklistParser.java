package io.graytorrent.core.internal.blocklist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.zip.GZIPInputStream;

/**
 * Reads blocklists, one range a line, in any of the formats in use, told apart line by line:
 * <ul>
 * <li>PeerGuardian text ({@code .p2p}): {@code description:1.2.3.0-1.2.3.255} (the description may hold colons);</li>
 * <li>eMule {@code ipfilter.dat}: {@code 001.002.003.000 - 001.002.003.255 , 100 , description}, where an
 *     access level above 127 means the range is allowed, not blocked;</li>
 * <li>CIDR lists: {@code 1.2.3.0/24}, {@code 2001:db8::/32}, a single address, or {@code first-last}, IPv4 or IPv6.</li>
 * </ul>
 * Blank lines and comments ({@code #}, {@code ;}, {@code //}) are ignored; a line that is none of these
 * is skipped and counted. Input compressed with gzip is recognised by its magic bytes.
 *
 * <p>Outside input, bounded: a line past {@value #MAX_LINE} characters is skipped without being held, at most
 * {@code maxRanges} ranges are taken (more fail the whole list), and addresses are parsed as literals only
 * (no name is ever resolved). A list with lines but not one valid range is refused as a whole: it is
 * most likely an error page, not a list.
 */
public final class BlocklistParser {
    public static final int MAX_LINE = 1000;
    public static final int DEFAULT_MAX_RANGES = 10_000_000;

    private final int maxRanges;

    public BlocklistParser() {
        this(DEFAULT_MAX_RANGES);
    }

    public BlocklistParser(int maxRanges) {
        this.maxRanges = maxRanges;
    }

    /** What one list gave: its ranges merged, and how many lines were read and skipped. */
    public record Parsed(IpRanges ranges, long linesRead, long linesSkipped) {
    }

    /** Reads the list (plain or gzip) to its end; the caller closes {@code in}. */
    public Parsed parse(InputStream in) throws IOException, BlocklistException {
        IpRanges.Builder builder = new IpRanges.Builder();
        long[] counts = read(in, builder);
        if (builder.added() == 0 && counts[1] > 0) {
            throw new BlocklistException("no valid range in " + counts[0] + " lines");
        }
        return new Parsed(builder.build(), counts[0], counts[1]);
    }

    /** Adds the list's ranges to {@code builder}; returns {lines read, lines skipped}. */
    long[] read(InputStream raw, IpRanges.Builder builder) throws IOException, BlocklistException {
        InputStream in = new BufferedInputStream(raw, 65536);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 65536), 65536);
        }
        long lines = 0;
        long skipped = 0;
        StringBuilder line = new StringBuilder(128);
        boolean tooLong = false;
        int c;
        do {
            c = in.read();
            if (c == '\n' || c == -1) {
                if (c == -1 && line.isEmpty() && !tooLong) {
                    break;
                }
                lines++;
                if (tooLong || !parseLine(line, builder)) {
                    skipped++;
                }
                if (builder.added() > maxRanges) {
                    throw new BlocklistException("more than " + maxRanges + " ranges");
                }
                line.setLength(0);
                tooLong = false;
            } else if (line.length() < MAX_LINE) {
                line.append((char) c); // the formats are ASCII; other bytes only ever appear in descriptions
            } else {
                tooLong = true;
            }
        } while (c != -1);
        return new long[] {lines, skipped};
    }

    /** Whether the line was a range, a comment, blank or an allowed eMule range; false for anything else. */
    static boolean parseLine(CharSequence raw, IpRanges.Builder builder) {
        String line = raw.toString().strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("//")) {
            return true;
        }
        int comma = line.indexOf(',');
        if (comma >= 0) {
            return emule(line, comma, builder);
        }
        int colon = line.lastIndexOf(':');
        if (colon > 0 && range(line.substring(colon + 1), true, builder)) {
            return true; // PeerGuardian text
        }
        int slash = line.indexOf('/');
        if (slash >= 0) {
            return cidr(line.substring(0, slash).strip(), line.substring(slash + 1).strip(), builder);
        }
        if (line.indexOf('-') >= 0) {
            return range(line, false, builder);
        }
        InetAddress single = address(line);
        if (single == null) {
            return false;
        }
        builder.add(single, single);
        return true;
    }

    private static boolean emule(String line, int comma, IpRanges.Builder builder) {
        int next = line.indexOf(',', comma + 1);
        String level = (next < 0 ? line.substring(comma + 1) : line.substring(comma + 1, next)).strip();
        if (level.isEmpty() || level.length() > 5 || !isAsciiDigits(level)) {
            return false;
        }
        IpRanges.Builder checked = new IpRanges.Builder();
        if (!range(line.substring(0, comma), false, checked)) {
            return false;
        }
        if (Integer.parseInt(level) <= 127) {
            range(line.substring(0, comma), false, builder);
        }
        return true;
    }

    /** {@code first-last}; {@code ipv4Only} for PeerGuardian text, whose description may end in anything. */
    private static boolean range(String text, boolean ipv4Only, IpRanges.Builder builder) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            return false;
        }
        InetAddress first = address(text.substring(0, dash).strip());
        InetAddress last = address(text.substring(dash + 1).strip());
        if (first == null || last == null || first.getClass() != last.getClass()
                || ipv4Only && !(first instanceof Inet4Address)) {
            return false;
        }
        builder.add(first, last);
        return true;
    }

    private static boolean cidr(String base, String prefix, IpRanges.Builder builder) {
        InetAddress address = address(base);
        if (address == null || prefix.isEmpty() || prefix.length() > 3 || !isAsciiDigits(prefix)) {
            return false;
        }
        int bits = Integer.parseInt(prefix);
        byte[] first = address.getAddress();
        if (bits > first.length * 8) {
            return false;
        }
        byte[] last = first.clone();
        for (int i = 0; i < first.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8)); // network bits in this byte
            int mask = keep == 0 ? 0 : 0xff << (8 - keep) & 0xff;
            first[i] = (byte) (first[i] & mask);
            last[i] = (byte) (first[i] | ~mask & 0xff);
        }
        try {
            builder.add(InetAddress.getByAddress(first), InetAddress.getByAddress(last));
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 bytes
        }
        return true;
    }

    private static boolean isAsciiDigits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * An address literal, or null: IPv4 as four decimal parts (leading zeros allowed and decimal, as eMule
     * writes them), IPv6 as hex digits, colons and dots only, so that nothing is ever looked up by name.
     */
    static InetAddress address(String text) {
        try {
            if (text.indexOf(':') >= 0) {
                if (text.length() > 45 || !text.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.')) {
                    return null;
                }
                return InetAddress.getByName(text); // a colon makes it a literal: never resolved
            }
            byte[] bytes = ipv4(text);
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : '.';
            if (ch >= '0' && ch <= '9') {
                value = value * 10 + (ch - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (ch == '.' && digits > 0 && part < 4) {
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }
}
