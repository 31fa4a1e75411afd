package io.graytorrent.lsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Unit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Unit
class LsdMessageTest {
    static final InfoHash A = InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    static final InfoHash B = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");

    @Test
    void encodesBep14sFormatWithEveryInfohashAndTheCookie() {
        byte[] datagram = new LsdMessage(6881, List.of(A, B), "1f2e3d4c").encode("239.192.152.143:6771");
        assertEquals("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\n"
                + "Infohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n"
                + "Infohash: 0123456789abcdef0123456789abcdef01234567\r\n"
                + "cookie: 1f2e3d4c\r\n\r\n\r\n", new String(datagram, StandardCharsets.US_ASCII));
    }

    @Test
    void parsesWhatItEncodes() throws Exception {
        LsdMessage message = new LsdMessage(51413, List.of(A, B), "abc");
        byte[] datagram = message.encode("[ff15::efc0:988f]:6771");
        assertEquals(message, LsdMessage.parse(datagram, datagram.length));
    }

    @Test
    void parsesLibtorrentsAnnounceAndLenientLayout() throws Exception {
        // libtorrent: upper-case hex, a lower-case "cookie"; other senders: bare \n, odd case, extra headers
        assertEquals(new LsdMessage(6881, List.of(A), "7a3b"), parse("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\n"
                + "Port: 6881\r\nInfohash: C12FE1C06BBA254A9DC9F519B335AA7C1367A88A\r\ncookie: 7a3b\r\n\r\n\r\n"));
        assertEquals(new LsdMessage(80, List.of(A), ""), parse("BT-SEARCH * HTTP/1.1\nX-Whatever: 1\nPORT:80\n"
                + "infohash:   c12fe1c06bba254a9dc9f519b335aa7c1367a88a  \n"));
    }

    @Test
    void aBadInfohashIsLeftOutAndARepeatedOneCountsOnce() throws Exception {
        LsdMessage message = parse("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 1234\r\n"
                + "Infohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88g\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n"
                + "Infohash: C12FE1C06BBA254A9DC9F519B335AA7C1367A88A\r\n\r\n");
        assertEquals(List.of(A), message.infoHashes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "GET / HTTP/1.1\r\nPort: 6881\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: -1\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: 0000006881\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n\r\nInfohash: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n",
        "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n: c12fe1c06bba254a9dc9f519b335aa7c1367a88a\r\n\r\n",
        "BT-SEARCH * HTTP/1.1",
    })
    void refusesWhatIsNoUsableAnnounce(String datagram) {
        assertThrows(LsdFormatException.class, () -> parse(datagram));
    }

    @Test
    void refusesADatagramOverTheLimitUnread() {
        byte[] huge = new byte[LsdMessage.MAX_DATAGRAM + 1];
        LsdFormatException refused = assertThrows(LsdFormatException.class, () -> LsdMessage.parse(huge, huge.length));
        assertTrue(refused.getMessage().contains("over 1500"), refused.getMessage());
    }

    @Test
    void aFullDatagramStaysUnder1400Bytes() {
        for (String host : List.of("239.192.152.143:6771", "[ff15::efc0:988f]:6771")) {
            int count = LsdMessage.infoHashesPerDatagram(host, "ffffffff");
            List<InfoHash> hashes = new ArrayList<>();
            for (int i = 0; i < count + 1; i++) {
                hashes.add(InfoHash.of(new byte[] {(byte) i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
            }
            assertTrue(new LsdMessage(65535, hashes.subList(0, count), "ffffffff").encode(host).length <= LsdMessage.MAX_SENT);
            assertTrue(new LsdMessage(65535, hashes, "ffffffff").encode(host).length > LsdMessage.MAX_SENT, "as many as fit");
        }
    }

    private static LsdMessage parse(String datagram) throws LsdFormatException {
        byte[] bytes = datagram.getBytes(StandardCharsets.ISO_8859_1);
        return LsdMessage.parse(bytes, bytes.length);
    }
}
