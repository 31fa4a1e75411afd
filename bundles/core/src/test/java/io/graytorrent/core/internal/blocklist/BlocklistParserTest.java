package io.graytorrent.core.internal.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

@Unit
class BlocklistParserTest {
    private final BlocklistParser parser = new BlocklistParser();

    private BlocklistParser.Parsed parse(String text) throws Exception {
        return parser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean in(BlocklistParser.Parsed parsed, String address) throws IOException {
        return parsed.ranges().contains(InetAddress.getByName(address));
    }

    @Test
    void peerGuardianTextWithColonsInDescriptionsAndBadLinesSkippedAndCounted() throws Exception {
        BlocklistParser.Parsed parsed = parse("""
                # PeerGuardian
                Some Org: Ltd:1.2.3.0-1.2.3.255
                Other:10.0.0.5-10.0.0.9
                broken line without a range
                Bad:1.2.3-1.2.4.0
                Bad octet:1.2.3.256-1.2.3.300

                Last:200.1.1.1-200.1.1.1""");
        assertEquals(8, parsed.linesRead());
        assertEquals(3, parsed.linesSkipped());
        assertEquals(3, parsed.ranges().ipv4Ranges());
        assertTrue(in(parsed, "1.2.3.0"));
        assertTrue(in(parsed, "1.2.3.255"));
        assertFalse(in(parsed, "1.2.4.0"));
        assertTrue(in(parsed, "10.0.0.7"));
        assertFalse(in(parsed, "10.0.0.10"));
        assertTrue(in(parsed, "200.1.1.1"), "the last line has no newline");
        assertFalse(in(parsed, "200.1.1.2"));
    }

    @Test
    void emuleIpfilterDatWithLeadingZerosAndAccessLevels() throws Exception {
        BlocklistParser.Parsed parsed = parse("""
                001.009.096.105 - 001.009.096.105 , 000 , Blocked one
                010.000.000.000 - 010.000.255.255 , 100 , Blocked range
                011.000.000.000 - 011.000.000.255 , 200 , Allowed: level above 127
                012.000.000.000 - 012.000.000.255 , abc , level not a number
                012.000.000.000 - 012.000.000 , 000 , bad end
                """);
        assertEquals(5, parsed.linesRead());
        assertEquals(2, parsed.linesSkipped());
        assertTrue(in(parsed, "1.9.96.105"), "leading zeros are decimal, not octal");
        assertFalse(in(parsed, "1.9.96.104"));
        assertTrue(in(parsed, "10.0.200.1"));
        assertFalse(in(parsed, "11.0.0.1"), "an allowed range is not blocked");
        assertFalse(in(parsed, "12.0.0.1"));
    }

    @Test
    void cidrListsOfBothFamiliesSingleAddressesAndRanges() throws Exception {
        BlocklistParser.Parsed parsed = parse("""
                ; CIDR
                192.168.1.77/24
                2001:db8::/32
                fe80::1-fe80::ff
                8.8.8.8
                ::1
                1.2.3.4/33
                2001:db8::/129
                example.com
                1.2.3.4/
                fe80::1%eth0
                """);
        assertEquals(11, parsed.linesRead());
        assertEquals(5, parsed.linesSkipped());
        assertTrue(in(parsed, "192.168.1.0"), "host bits of the base are dropped");
        assertTrue(in(parsed, "192.168.1.255"));
        assertFalse(in(parsed, "192.168.2.0"));
        assertTrue(in(parsed, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(in(parsed, "2001:db9::"));
        assertTrue(in(parsed, "fe80::80"));
        assertFalse(in(parsed, "fe80::100"));
        assertTrue(in(parsed, "8.8.8.8"));
        assertTrue(in(parsed, "::1"));
        assertEquals(2, parsed.ranges().ipv4Ranges());
        assertEquals(3, parsed.ranges().ipv6Ranges());
    }

    @Test
    void gzipIsRecognisedByItsMagicBytes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("x:5.5.5.0-5.5.5.10\n6.0.0.0/8\n".getBytes(StandardCharsets.US_ASCII));
        }
        BlocklistParser.Parsed parsed = parser.parse(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(2, parsed.linesRead());
        assertTrue(parsed.ranges().contains(InetAddress.getByName("5.5.5.5")));
        assertTrue(parsed.ranges().contains(InetAddress.getByName("6.200.0.1")));
    }

    @Test
    void aListWithoutOneValidRangeIsRefusedWhole() {
        BlocklistException e = assertThrows(BlocklistException.class, () -> parse("<html>\n<body>Not Found</body>\n</html>\n"));
        assertEquals("no valid range in 3 lines", e.getMessage());
    }

    @Test
    void aLineTooLongIsSkippedWithoutBeingHeld() throws Exception {
        BlocklistParser.Parsed parsed = parse("x".repeat(BlocklistParser.MAX_LINE + 1) + ":1.1.1.1-1.1.1.2\n3.3.3.3\n");
        assertEquals(2, parsed.linesRead());
        assertEquals(1, parsed.linesSkipped());
        assertFalse(in(parsed, "1.1.1.1"));
    }

    @Test
    void moreRangesThanTheCapFailTheList() {
        BlocklistParser small = new BlocklistParser(2);
        assertThrows(BlocklistException.class, () -> small.parse(new ByteArrayInputStream(
                "1.1.1.1\n2.2.2.2\n3.3.3.3\n".getBytes(StandardCharsets.US_ASCII))));
    }
}
