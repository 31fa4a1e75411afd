package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ut_pex message both ways, and the bounds on what a peer sends us. */
@Unit
class PexMessageTest {
    private static final InetSocketAddress V4 = new InetSocketAddress("203.0.113.7", 6881);
    private static final InetSocketAddress V6 = new InetSocketAddress("2001:db8::1", 51413);

    @Test
    void readsEveryListWithItsFlags() {
        byte[] payload = bytes("d5:added12:" + "\u00cb\u0000\u0071\u0007\u001a\u00e1" + "\u00c0\u0000\u0002\u0001\u0000\u0050"
                + "7:added.f2:\u0013\u0000" + "7:dropped6:\u00c6\u0033\u0064\u0001\u0000\u0001e");
        PexMessage message = PexMessage.decode(payload);
        assertEquals(List.of(new PexPeer(V4, PexPeer.ENCRYPTION | PexPeer.SEED | PexPeer.REACHABLE),
                new PexPeer(new InetSocketAddress("192.0.2.1", 80), 0)), message.added());
        assertEquals(List.of(new InetSocketAddress("198.51.100.1", 1)), message.dropped());
    }

    @Test
    void writesWhatItReadsForBothFamilies() {
        PexMessage message = new PexMessage(List.of(new PexPeer(V4, PexPeer.UTP), new PexPeer(V6, PexPeer.SEED)),
                List.of(new InetSocketAddress("198.51.100.1", 1), new InetSocketAddress("2001:db8::2", 2)));
        assertEquals(message, PexMessage.decode(message.encode()));
        assertEquals("d5:added6:", new String(message.encode(), 0, 10, StandardCharsets.ISO_8859_1),
                "keys sorted, the IPv4 list first");
    }

    @Test
    void leavesEmptyListsOut() {
        assertEquals("de", new String(new PexMessage(List.of(), List.of()).encode(), StandardCharsets.US_ASCII));
    }

    @Test
    void dropsATrailingPartialEntryAndReadsAMissingFlagAsNone() {
        PexMessage message = PexMessage.decode(BencodeEncoder.encode(Map.of(
                "added", new byte[] {(byte) 203, 0, 113, 7, 0x1a, (byte) 0xe1, 1, 2, 3})));
        assertEquals(List.of(new PexPeer(V4, 0)), message.added());
    }

    @Test
    void ignoresFieldsOfTheWrongTypeAndUnknownKeys() {
        PexMessage message = PexMessage.decode(BencodeEncoder.encode(Map.of(
                "added", 42, "dropped", List.of("x"), "added6.f", Map.of(), "x-extra", "kept out")));
        assertTrue(message.isEmpty());
    }

    @Test
    void readsAtMostItsCapFromAHugeList() {
        byte[] huge = new byte[6 * 5_000];
        for (int i = 0; i < 5_000; i++) {
            huge[i * 6] = 8;
            huge[i * 6 + 3] = (byte) i;
            huge[i * 6 + 5] = 1;
        }
        PexMessage message = PexMessage.decode(BencodeEncoder.encode(Map.of("added", huge, "dropped", huge)));
        assertEquals(PexMessage.MAX_ENTRIES, message.added().size());
        assertEquals(PexMessage.MAX_ENTRIES, message.dropped().size());
    }

    @Test
    void refusesAnOversizedPayloadBeforeReadingIt() {
        byte[] payload = new byte[PexMessage.MAX_PAYLOAD + 1];
        assertThrows(PexProtocolException.class, () -> PexMessage.decode(payload));
    }

    @Test
    void refusesWhatIsNotADictionary() {
        assertThrows(PexProtocolException.class, () -> PexMessage.decode(bytes("li1ee")));
        assertThrows(PexProtocolException.class, () -> PexMessage.decode(bytes("d5:added")));
        assertThrows(PexProtocolException.class, () -> PexMessage.decode(new byte[0]));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
