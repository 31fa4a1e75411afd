package io.graytorrent.core.internal.connect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

@Unit
class OwnAddressesTest {
    private static final InetSocketAddress LISTENING = new InetSocketAddress("127.0.0.2", 6881);
    private final OwnAddresses own = new OwnAddresses(() -> LISTENING);

    @Test
    void theListenAddressIsOursAndAnotherLoopbackAddressOnlyWhenListeningOnAll() {
        assertTrue(own.contains(LISTENING));
        assertFalse(own.contains(new InetSocketAddress("127.0.0.1", 6881)), "another peer may listen there");
        OwnAddresses everywhere = new OwnAddresses(() -> new InetSocketAddress(6881));
        assertTrue(everywhere.contains(new InetSocketAddress("127.0.0.1", 6881)));
        assertFalse(everywhere.contains(new InetSocketAddress("127.0.0.1", 6882)));
    }

    @Test
    void anAddressThatReachedUsIsOursExactlyAsDialled() {
        InetSocketAddress router = new InetSocketAddress("203.0.113.7", 40000);
        own.dialledOurselves(router);
        assertTrue(own.contains(router));
        assertFalse(own.contains(new InetSocketAddress("203.0.113.7", 40001)));
    }

    @Test
    void anIpPeersSeeUsAtIsOursWithOurListenPort() throws Exception {
        InetAddress seenAs = InetAddress.getByName("198.51.100.4");
        own.seenAs(seenAs);
        assertTrue(own.contains(new InetSocketAddress(seenAs, 6881)));
        assertFalse(own.contains(new InetSocketAddress(seenAs, 51413)));
    }

    @Test
    void learnedAddressesAreBoundedKeepingTheLatest() throws Exception {
        InetAddress first = InetAddress.getByName("10.0.0.1");
        own.seenAs(first);
        for (int i = 0; i < 1000; i++) {
            own.seenAs(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}));
        }
        assertFalse(own.contains(new InetSocketAddress(first, 6881)), "made-up reports pushed the oldest out");
        assertTrue(own.contains(new InetSocketAddress(InetAddress.getByName("10.1.3.231"), 6881)));
    }
}
