package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

@Unit
class PeerStoreTest {
    private final FakeClock clock = new FakeClock();
    private final PeerStore store = new PeerStore(clock, 3, 2);
    private final Random random = new Random(3);
    private final NodeId a = NodeId.random(random);
    private final NodeId b = NodeId.random(random);

    @Test
    void answersPerFamilyNewestFirst() {
        store.announce(a, peer("198.51.100.1", 1));
        store.announce(a, peer("2001:db8::1", 2));
        store.announce(a, peer("198.51.100.2", 3));
        List<byte[]> v4 = store.peers(a, false, 10);
        assertEquals(2, v4.size());
        assertArrayEquals(CompactAddresses.peer(peer("198.51.100.2", 3)), v4.get(0));
        assertEquals(1, store.peers(a, true, 10).size());
        assertEquals(1, store.peers(a, false, 1).size());
        assertTrue(store.peers(b, false, 10).isEmpty());
    }

    @Test
    void peersExpireThirtyMinutesAfterTheirLastAnnounce() {
        store.announce(a, peer("198.51.100.1", 1));
        clock.advance(Duration.ofMinutes(20));
        store.announce(a, peer("198.51.100.2", 2));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, store.peers(a, false, 10).size());
        assertEquals(1, store.peerCount());
        clock.advance(Duration.ofMinutes(20));
        store.expireAll();
        assertEquals(0, store.infoHashCount());
        assertEquals(0, store.peerCount());
    }

    @Test
    void boundedPerInfohashAndInAll() {
        for (int i = 1; i <= 5; i++) {
            store.announce(a, peer("198.51.100." + i, i));
        }
        assertEquals(3, store.peers(a, false, 10).size());
        assertEquals(3, store.peerCount());
        assertTrue(store.announce(b, peer("198.51.100.9", 9)));
        assertFalse(store.announce(NodeId.random(random), peer("198.51.100.9", 9)), "a third infohash is refused");
        assertEquals(2, store.infoHashCount());
        clock.advance(Duration.ofMinutes(31));
        assertTrue(store.announce(NodeId.random(random), peer("198.51.100.9", 9)), "room again after expiry");
    }

    private static InetSocketAddress peer(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }
}
