package io.graytorrent.core.internal.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.peerwire.PeerId;
import io.graytorrent.testkit.Unit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@Unit
class ClientNamesTest {
    private static String name(String peerId) {
        return ClientNames.fromPeerId(PeerId.of(peerId.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsAzureusStylePeerIds() {
        assertEquals("libtorrent 2.0.8.0", name("-LT2080-abcdefghijkl"));
        assertEquals("graytorrent 0.1.0.0", name("-GY0100-abcdefghijkl"));
        assertEquals("qBittorrent 4.6.5.0", name("-qB4650-abcdefghijkl"));
        assertEquals("Transmission 4.0.5.0", name("-TR4050-abcdefghijkl"));
        assertEquals("µTorrent 3.5.5.0", name("-UT3550-abcdefghijkl"));
        assertEquals("Deluge 2.1.1.0", name("-DE2110-abcdefghijkl"));
        assertEquals("BitComet 0.2.0.6", name("-BC0206-abcdefghijkl"));
        assertEquals("ZZ 1.2.3.4", name("-ZZ1234-abcdefghijkl"), "an unknown code is shown as it is");
    }

    @Test
    void readsMainlineAndAria2StylePeerIds() {
        assertEquals("Mainline 7.2.0", name("M7-2-0--abcdefghijkl"));
        assertEquals("Mainline 10.12.1", name("M10-12-1-abcdefghijk"));
        assertEquals("aria2 1.37.0", name("A2-1-37-0-abcdefghij"));
    }

    @Test
    void readsShadowStyleAndBitCometPeerIds() {
        assertEquals("BitTornado 0.3.18", name("T03I-----abcdefghijk"));
        assertEquals("ABC 2.0.4", name("A204-----abcdefghijk"));
        assertEquals("BitComet 0.59", name("exbc\0\u003bLORDabcdefghij"));
    }

    @Test
    void anUnrecognisedPeerIdHasNoName() {
        assertEquals("", name("abcdefghijklmnopqrst"));
        assertEquals("", name("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"));
        assertEquals("", name("T0000000000000000000"), "a Shadow letter without the dashes is not Shadow style");
    }
}
