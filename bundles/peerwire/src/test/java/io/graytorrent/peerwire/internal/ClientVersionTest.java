package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class ClientVersionTest {
    @Test
    void thePeerIdPrefixHoldsTheReleaseNumbers() {
        assertEquals("-GY0100-", ClientVersion.peerIdPrefix("0.1.0-SNAPSHOT"));
        assertEquals("-GY1C30-", ClientVersion.peerIdPrefix("1.12.3"), "10 and above are letters");
        assertEquals(8, ClientVersion.peerIdPrefix("35.35.35").length());
        assertThrows(IllegalArgumentException.class, () -> ClientVersion.peerIdPrefix("36.0.0"));
        assertThrows(IllegalArgumentException.class, () -> ClientVersion.peerIdPrefix("1.0"));
    }

    @Test
    void theClientNameLeavesTheQualifierOut() {
        assertEquals("graytorrent 0.1.0", ClientVersion.clientName("0.1.0-SNAPSHOT"));
        assertEquals("graytorrent 2.0.7", ClientVersion.clientName("2.0.7"));
    }

    @Test
    void theBuildFilledInItsVersion() {
        assertEquals(System.getProperty("graytorrent.version"), ClientVersion.BUILD_VERSION, "the Maven project version");
    }
}
