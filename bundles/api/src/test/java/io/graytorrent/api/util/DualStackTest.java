package io.graytorrent.api.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

@Unit
class DualStackTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void theFirstReachableAddressOfEachFamilyIPv4First() throws Exception {
        List<InetAddress> resolved = List.of(ip("2001:db8::1"), ip("192.0.2.1"), ip("2001:db8::2"), ip("192.0.2.2"));
        assertEquals(List.of(ip("192.0.2.1"), ip("2001:db8::1")), DualStack.targets(resolved, a -> true));
        assertEquals(List.of(ip("192.0.2.2"), ip("2001:db8::2")),
                DualStack.targets(resolved, a -> !a.equals(resolved.get(0)) && !a.equals(resolved.get(1))));
        assertEquals(List.of(ip("192.0.2.1")), DualStack.targets(resolved, a -> a.getAddress().length == 4));
        assertEquals(List.of(), DualStack.targets(resolved, a -> false));
    }

    @Test
    void loopbackIsReachableAndAMissingInterfaceIsNot() throws Exception {
        assertTrue(DualStack.reachable(ip("127.0.0.1"), NetworkRoute.DIRECT));
        assertFalse(DualStack.reachable(ip("127.0.0.1"), NetworkRoute.of("", "gt-missing0", "", "", "", false)));
        assertFalse(DualStack.reachable(ip("::1"), NetworkRoute.of("127.0.0.1", "", "", "", "", false)),
                "an IPv4 bind address cannot reach IPv6");
    }

    @Test
    void mergedRepliesKeepEveryPeerTheLongerIntervalsAndSayWhatFailed() throws Exception {
        AnnounceResponse v4 = new AnnounceResponse(Duration.ofMinutes(30), Optional.of(Duration.ofMinutes(5)),
                List.of(new InetSocketAddress("192.0.2.7", 6881), new InetSocketAddress("192.0.2.8", 6881)),
                OptionalInt.of(3), OptionalInt.empty(), Optional.empty(), Optional.of("id4"), Optional.of(ip("198.51.100.1")));
        AnnounceResponse v6 = new AnnounceResponse(Duration.ofMinutes(40), Optional.empty(),
                List.of(new InetSocketAddress("2001:db8::7", 6881), new InetSocketAddress("192.0.2.8", 6881)),
                OptionalInt.of(5), OptionalInt.of(2), Optional.of("busy"), Optional.empty(), Optional.empty());
        AnnounceResponse merged = DualStack.merge(List.of(v4, v6), List.of());
        assertEquals(List.of(new InetSocketAddress("192.0.2.7", 6881), new InetSocketAddress("192.0.2.8", 6881),
                new InetSocketAddress("2001:db8::7", 6881)), merged.peers());
        assertEquals(Duration.ofMinutes(40), merged.interval());
        assertEquals(Optional.of(Duration.ofMinutes(5)), merged.minInterval());
        assertEquals(OptionalInt.of(5), merged.seeders());
        assertEquals(OptionalInt.of(2), merged.leechers());
        assertEquals(Optional.of("busy"), merged.warning());
        assertEquals(Optional.of("id4"), merged.trackerId());
        assertEquals(Optional.of(ip("198.51.100.1")), merged.externalIp());

        assertEquals(Optional.of("IPv6: no reply"), DualStack.merge(List.of(v4), List.of("IPv6: no reply")).warning());
    }
}
