package io.graytorrent.core.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

@Unit
class CanonicalPriorityTest {
    private static final InetSocketAddress US = peer("123.213.32.10", 6881);

    @Test
    void bep40sExamplesBothWays() {
        InetSocketAddress far = peer("98.76.54.32", 6881);
        InetSocketAddress sameSlash24 = peer("123.213.32.234", 6881);
        assertEquals(0xec2d7224L, CanonicalPriority.of(US, far));
        assertEquals(0xec2d7224L, CanonicalPriority.of(far, US), "both ends arrive at the same hash");
        assertEquals(0x99568189L, CanonicalPriority.of(US, sameSlash24));
        assertEquals(0x99568189L, CanonicalPriority.of(sameSlash24, US));
    }

    @Test
    void theSameSlash16KeepsTheThirdByteWhole() {
        // 123.213.32.10 and 123.213.7.9: FF.FF.FF.55 → 7BD52000 and 7BD50701, sorted
        assertEquals(crc(0x7b, 0xd5, 0x07, 0x01, 0x7b, 0xd5, 0x20, 0x00), CanonicalPriority.of(US, peer("123.213.7.9", 1)));
    }

    @Test
    void theSameAddressComparesPortsLowestFirst() {
        assertEquals(crc(0x1a, 0xe1, 0xc8, 0xd5), CanonicalPriority.of(US, peer("123.213.32.10", 51413)));
        assertEquals(crc(0x1a, 0xe1, 0xc8, 0xd5), CanonicalPriority.of(peer("123.213.32.10", 51413), US));
    }

    @Test
    void ipv6KeepsSixBytesWholeAndOneMorePerSharedByte() {
        InetSocketAddress a = peer("2001:db8:1:ff::1", 1);
        InetSocketAddress b = peer("2001:db8:2:ff::2", 1);
        byte[] pair = new byte[32];
        byte[] first = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1, 0, 0x55, 0, 0, 0, 0, 0, 0, 0, 1};
        byte[] second = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 2, 0, 0x55, 0, 0, 0, 0, 0, 0, 0, 0};
        System.arraycopy(first, 0, pair, 0, 16);
        System.arraycopy(second, 0, pair, 16, 16);
        assertEquals(crc(pair), CanonicalPriority.of(a, b));

        InetSocketAddress sameSlash48 = peer("2001:db8:1:1ff::2", 1); // byte 6 differs: 7 whole bytes
        byte[] low = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1, 0, 0x55, 0, 0, 0, 0, 0, 0, 0, 1};
        byte[] high = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1, 1, 0x55, 0, 0, 0, 0, 0, 0, 0, 0};
        System.arraycopy(low, 0, pair, 0, 16);
        System.arraycopy(high, 0, pair, 16, 16);
        assertEquals(crc(pair), CanonicalPriority.of(a, sameSlash48));
    }

    @Test
    void anUnknownOrForeignOwnAddressGivesTheLowestPriority() {
        assertEquals(0, CanonicalPriority.of(null, US));
        assertEquals(0, CanonicalPriority.of(peer("::1", 1), US));
    }

    @Test
    void candidatesThatFitAreDialledInTheirOrderAndOtherwiseTheHighestPriorityFirst() {
        InetSocketAddress low = peer("123.213.32.234", 1); // 0x99568189 with US
        InetSocketAddress high = peer("98.76.54.32", 1); // 0xec2d7224
        InetSocketAddress unknown = peer("::1", 1); // no own IPv6 address: 0
        List<InetSocketAddress> due = List.of(unknown, low, high);
        assertEquals(due, CanonicalPriority.first(due, 3, p -> US));
        assertEquals(List.of(high, low), CanonicalPriority.first(due, 2, p -> US));
        assertEquals(List.of(high), CanonicalPriority.first(due, 1, p -> US));
    }

    @Test
    void ourAddressTowardsAPeerIsTheLatestSeenOfItsFamilyElseASpecificListenAddress() throws Exception {
        OwnAddresses everywhere = new OwnAddresses(() -> new InetSocketAddress(6881));
        InetSocketAddress peer = peer("98.76.54.32", 1);
        assertNull(everywhere.ourAddressTowards(peer), "listening on all interfaces says nothing");
        everywhere.seenAs(InetAddress.getByName("203.0.113.1"));
        everywhere.seenAs(InetAddress.getByName("2001:db8::1"));
        everywhere.seenAs(InetAddress.getByName("203.0.113.2"));
        assertEquals(peer("203.0.113.2", 6881), everywhere.ourAddressTowards(peer));
        assertEquals(peer("2001:db8::1", 6881), everywhere.ourAddressTowards(peer("2001:db8::9", 1)));

        OwnAddresses bound = new OwnAddresses(() -> peer("192.168.1.5", 6881));
        assertEquals(peer("192.168.1.5", 6881), bound.ourAddressTowards(peer));
        assertNull(bound.ourAddressTowards(peer("2001:db8::9", 1)));
    }

    private static InetSocketAddress peer(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private static long crc(int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return crc(data);
    }

    private static long crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
