package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The ut_holepunch payload as BEP 55 lays it out, and what is refused. */
@Unit
class HolepunchMessageTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesAsTheBepLaysOut() {
        assertEquals("00" + "00" + "c0000201" + "1ae1" + "00000000",
                HEX.formatHex(HolepunchMessage.rendezvous(new InetSocketAddress("192.0.2.1", 6881)).encode()));
        assertEquals("02" + "01" + "20010db8000000000000000000000001" + "c350" + "00000003",
                HEX.formatHex(HolepunchMessage.error(new InetSocketAddress("2001:db8::1", 50000),
                        HolepunchMessage.NO_SUPPORT).encode()));
    }

    @Test
    void readsBackWhatItWrites() {
        for (HolepunchMessage message : new HolepunchMessage[] {
                HolepunchMessage.rendezvous(new InetSocketAddress("203.0.113.9", 1)),
                HolepunchMessage.connect(new InetSocketAddress("2001:db8::7", 65535)),
                HolepunchMessage.error(new InetSocketAddress("198.51.100.3", 6881), HolepunchMessage.NO_SELF)}) {
            assertEquals(message, HolepunchMessage.decode(message.encode()));
        }
    }

    @Test
    void refusesWhatIsNotAHolepunchMessage() {
        String[] bad = {
            "", // empty
            "0000c00002011ae100000000" + "00", // a byte too many
            "0000c00002011ae1000000", // a byte short
            "0300c00002011ae100000000", // type 3
            "0002c00002011ae100000000", // address type 2
            "0001c00002011ae100000000", // IPv6 in an IPv4 length
            "0000" + "20010db8000000000000000000000001" + "c350" + "00000000", // IPv4 in an IPv6 length
            "0200c00002011ae100000000", // an error without a code
            "0100c00002011ae100000001", // a connect with a code
            "0200c00002011ae1", // an error without its code field
            "0000c00002011a", // the short form a byte short
            "00", // a type alone
        };
        for (String payload : bad) {
            assertThrows(PexProtocolException.class, () -> HolepunchMessage.decode(HEX.parseHex(payload)), payload);
        }
    }

    @Test
    void readsLibtorrentsRendezvousAndConnectWithoutTheErrorCode() {
        assertEquals(HolepunchMessage.rendezvous(new InetSocketAddress("192.0.2.1", 6881)),
                HolepunchMessage.decode(HEX.parseHex("00" + "00" + "c0000201" + "1ae1")));
        assertEquals(HolepunchMessage.connect(new InetSocketAddress("2001:db8::1", 50000)),
                HolepunchMessage.decode(HEX.parseHex("01" + "01" + "20010db8000000000000000000000001" + "c350")));
    }

    @Test
    void anIpv4MappedAddressReadsAsIpv4() {
        byte[] mapped = HEX.parseHex("01" + "01" + "00000000000000000000ffffc0000201" + "1ae1" + "00000000");
        HolepunchMessage message = HolepunchMessage.decode(mapped);
        assertEquals(new InetSocketAddress("192.0.2.1", 6881), message.endpoint());
        assertArrayEquals(HEX.parseHex("0100c00002011ae100000000"), message.encode());
    }
}
