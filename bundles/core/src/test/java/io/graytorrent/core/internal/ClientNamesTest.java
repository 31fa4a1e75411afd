package io.graytorrent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.peerwire.PeerId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientNamesTest {
    private static PeerId id(String text) {
        return PeerId.of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsAzureusStylePeerIds() {
        assertEquals("libtorrent 2.0.8.0", ClientNames.fromPeerId(id("-LT2080-abcdefghijkl")));
        assertEquals("graytorrent 0.1.0.0", ClientNames.fromPeerId(id("-GY0100-abcdefghijkl")));
        assertEquals("ZZ 1.2.3.4", ClientNames.fromPeerId(id("-ZZ1234-abcdefghijkl")));
        assertEquals("", ClientNames.fromPeerId(id("M7-2-0--abcdefghijkl")));
    }
}
