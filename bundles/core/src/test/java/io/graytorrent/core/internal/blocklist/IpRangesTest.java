package io.graytorrent.core.internal.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import org.junit.jupiter.api.Test;

@Unit
class IpRangesTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void overlappingAndAdjacentRangesMergeAndTheHighHalfSortsLast() throws Exception {
        IpRanges ranges = new IpRanges.Builder()
                .add(ip("200.0.0.0"), ip("200.0.0.9"))
                .add(ip("10.0.0.10"), ip("10.0.0.20"))
                .add(ip("10.0.0.0"), ip("10.0.0.9")) // adjacent: merged
                .add(ip("10.0.0.15"), ip("10.0.0.30")) // overlapping: merged
                .add(ip("255.255.255.250"), ip("255.255.255.255"))
                .add(ip("128.0.0.1"), ip("128.0.0.0")) // reversed
                .build();
        assertEquals(4, ranges.ipv4Ranges());
        assertTrue(ranges.contains(ip("10.0.0.0")));
        assertTrue(ranges.contains(ip("10.0.0.30")));
        assertFalse(ranges.contains(ip("10.0.0.31")));
        assertFalse(ranges.contains(ip("9.255.255.255")));
        assertTrue(ranges.contains(ip("128.0.0.0")));
        assertTrue(ranges.contains(ip("128.0.0.1")));
        assertFalse(ranges.contains(ip("128.0.0.2")));
        assertTrue(ranges.contains(ip("200.0.0.5")));
        assertTrue(ranges.contains(ip("255.255.255.255")));
        assertFalse(ranges.contains(ip("0.0.0.0")));
    }

    @Test
    void theWholeSpaceOfEachFamilyAndTheMappedForm() throws Exception {
        IpRanges ranges = new IpRanges.Builder().add(ip("0.0.0.0"), ip("255.255.255.255"))
                .add(ip("::"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).add(ip("::5"), ip("::6")).build();
        assertEquals(1, ranges.ipv4Ranges());
        assertEquals(1, ranges.ipv6Ranges());
        assertTrue(ranges.contains(ip("::ffff:1.2.3.4")));
        assertTrue(ranges.contains(ip("8000::1")));
        assertFalse(IpRanges.EMPTY.contains(ip("1.2.3.4")));
        assertFalse(IpRanges.EMPTY.contains(ip("::1")));
    }

    @Test
    void ipv6RangesCarryAcrossTheHalvesWhenTheyTouch() throws Exception {
        IpRanges ranges = new IpRanges.Builder()
                .add(ip("2001:db8::"), ip("2001:db8:0:0:ffff:ffff:ffff:ffff"))
                .add(ip("2001:db8:0:1::"), ip("2001:db8:0:1::1")).build();
        assertEquals(1, ranges.ipv6Ranges(), "the second starts right after the first: one range");
        assertTrue(ranges.contains(ip("2001:db8:0:1::1")));
        assertFalse(ranges.contains(ip("2001:db8:0:1::2")));
    }

    @Test
    void lookupsAgreeWithALinearScanOnRandomRanges() {
        Random random = new Random(24);
        int[][] raw = new int[2000][2];
        IpRanges.Builder builder = new IpRanges.Builder();
        for (int[] range : raw) {
            range[0] = random.nextInt();
            range[1] = range[0] + random.nextInt(1 << 20);
            if (Integer.compareUnsigned(range[1], range[0]) < 0) {
                range[1] = -1;
            }
            builder.addV4(range[0], range[1]);
        }
        IpRanges ranges = builder.build();
        for (int i = 0; i < 20_000; i++) {
            int probe = i % 2 == 0 ? random.nextInt() : raw[random.nextInt(raw.length)][0] + random.nextInt(3) - 1;
            boolean expected = false;
            for (int[] range : raw) {
                expected |= Integer.compareUnsigned(range[0], probe) <= 0 && Integer.compareUnsigned(probe, range[1]) <= 0;
            }
            assertEquals(expected, ranges.containsV4(probe), Integer.toUnsignedString(probe));
        }
    }
}
