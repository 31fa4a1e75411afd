package io.graytorrent.peerwire.internal;

import static io.graytorrent.peerwire.EncryptionPolicy.DISABLED;
import static io.graytorrent.peerwire.EncryptionPolicy.ENABLED;
import static io.graytorrent.peerwire.EncryptionPolicy.PREFERRED;
import static io.graytorrent.peerwire.EncryptionPolicy.REQUIRED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.testkit.Unit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class DialModeTest {
    private static final InfoHash V1 = InfoHash.parse("11".repeat(20));
    private static final InfoHash V2 = InfoHash.parse("22".repeat(20));
    private static final TorrentEndpoint V1_ONLY = new TorrentEndpoint(V1, 8, false, null);
    private static final TorrentEndpoint HYBRID = new TorrentEndpoint(V1, 8, false, null, Optional.of(V2));

    @Test
    void aTorrentWithoutAV2HashIsDialledInThePolicysModesUnderItsOwnHash() {
        assertEquals(List.of(plain()), DialMode.inTurn(DISABLED, V1_ONLY));
        assertEquals(List.of(plain(), new DialMode(ENABLED, V1)), DialMode.inTurn(ENABLED, V1_ONLY));
        assertEquals(List.of(new DialMode(PREFERRED, V1), plain()), DialMode.inTurn(PREFERRED, V1_ONLY));
        assertEquals(List.of(new DialMode(REQUIRED, V1)), DialMode.inTurn(REQUIRED, V1_ONLY));
    }

    @Test
    void aHybridsEncryptedDialsTryTheV2StreamKeyFirstAndItsPlaintextOneNamesV1() {
        assertEquals(List.of(plain()), DialMode.inTurn(DISABLED, HYBRID),
                "plaintext names v1 with the v2 bit: the peer upgrades it if it can");
        assertEquals(List.of(plain(), new DialMode(ENABLED, V2), new DialMode(ENABLED, V1)),
                DialMode.inTurn(ENABLED, HYBRID));
        assertEquals(List.of(new DialMode(PREFERRED, V2), new DialMode(PREFERRED, V1), plain()),
                DialMode.inTurn(PREFERRED, HYBRID));
        assertEquals(List.of(new DialMode(REQUIRED, V2), new DialMode(REQUIRED, V1)), DialMode.inTurn(REQUIRED, HYBRID));
    }

    private static DialMode plain() {
        return new DialMode(null, V1);
    }
}
