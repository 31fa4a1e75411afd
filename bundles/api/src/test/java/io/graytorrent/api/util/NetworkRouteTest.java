package io.graytorrent.api.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.util.NetworkRoute.RouteDownException;
import io.graytorrent.api.util.NetworkRoute.Use;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class NetworkRouteTest {
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();

    @Test
    void aProxyIsSocks5HostAndPortWithOrWithoutTheScheme() {
        assertEquals(Optional.of(InetSocketAddress.createUnresolved("127.0.0.1", 1080)),
                NetworkRoute.of("", "", "socks5://127.0.0.1:1080", "", "", false).proxy());
        assertEquals(Optional.of(InetSocketAddress.createUnresolved("proxy.example", 9050)),
                NetworkRoute.of("", "", "proxy.example:9050", "", "", false).proxy());
        assertEquals(Optional.of(InetSocketAddress.createUnresolved("::1", 1080)),
                NetworkRoute.of("", "", "socks5://[::1]:1080", "", "", false).proxy());
        assertEquals(Optional.empty(), NetworkRoute.of("", "", " ", "", "", false).proxy());
    }

    @Test
    void otherSchemesMissingPortsAndCredentialsInTheUrlAreRefusedNamingTheKey() {
        for (String bad : new String[] {"http://127.0.0.1:3128", "socks5://127.0.0.1", "socks5://u:p@127.0.0.1:1080",
                "socks4://127.0.0.1:1080", "socks5://127.0.0.1:1080/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NetworkRoute.of("", "", bad, "", "", false), bad);
            assertTrue(e.getMessage().startsWith("proxy"), e.getMessage());
        }
    }

    @Test
    void anAddressAndAnInterfaceTogetherOrANameAsAddressAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NetworkRoute.of("127.0.0.1", "lo", "", "", "", false));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> NetworkRoute.of("wg0", "", "", "", "", false));
        assertTrue(name.getMessage().contains("bindInterface"), name.getMessage());
    }

    @Test
    void peerConnectionsOnlyLeavesTrackersAndTheDhtDirectButUtpStaysOff() {
        NetworkRoute all = NetworkRoute.of("", "", "127.0.0.1:1080", "u", "p", false);
        NetworkRoute peersOnly = NetworkRoute.of("", "", "127.0.0.1:1080", "u", "p", true);
        for (Use use : Use.values()) {
            assertTrue(all.proxyFor(use).isPresent(), use.name());
            assertTrue(all.udpRefusal(use).isPresent(), use.name());
        }
        assertTrue(peersOnly.proxyFor(Use.PEER).isPresent());
        assertFalse(peersOnly.proxyFor(Use.TRACKER).isPresent());
        assertFalse(peersOnly.udpRefusal(Use.DHT).isPresent());
        assertTrue(peersOnly.udpRefusal(Use.PEER).orElseThrow().contains("UDP ASSOCIATE"));
        assertFalse(NetworkRoute.DIRECT.udpRefusal(Use.PEER).isPresent());
    }

    @Test
    void aBoundAddressIsTheSourceOfItsFamilyAndRefusesTheOther() throws Exception {
        NetworkRoute route = NetworkRoute.of("127.0.0.1", "", "", "", "", false);
        assertEquals(Optional.of(V4), route.source(InetAddress.getByName("10.0.0.1")));
        RouteDownException e = assertThrows(RouteDownException.class, () -> route.source(InetAddress.getByName("::1")));
        assertTrue(e.getMessage().contains("IPv6"), e.getMessage());
        assertEquals(Optional.empty(), NetworkRoute.DIRECT.source(V4));
        assertEquals(Optional.empty(), NetworkRoute.of("0.0.0.0", "", "", "", "", false).source(V4));
    }

    @Test
    void anInterfaceIsLookedUpAtEachUseAndAMissingOneSendsNothing() throws Exception {
        assertEquals(Optional.of(V4), NetworkRoute.of("", "lo", "", "", "", false).source(InetAddress.getByName("10.1.2.3")));
        NetworkRoute gone = NetworkRoute.of("", "gt-missing0", "", "", "", false);
        RouteDownException e = assertThrows(RouteDownException.class, () -> gone.source(V4));
        assertTrue(e.getMessage().contains("gt-missing0 is missing"), e.getMessage());
        assertEquals(Optional.of("interface gt-missing0 is missing; nothing is sent until it returns"), gone.problem());
        assertEquals(Optional.empty(), NetworkRoute.of("", "lo", "", "", "", false).problem());
        assertEquals(Optional.empty(), NetworkRoute.of("127.0.0.1", "", "", "", "", false).problem());
    }

    @Test
    void theDescriptionNamesTheProxyAndUserButNeverThePassword() {
        String shown = NetworkRoute.of("", "wg0", "socks5://127.0.0.1:1080", "alice", "s3cret", true).describe();
        assertEquals("from interface wg0, SOCKS5 proxy 127.0.0.1:1080 as alice for peer connections only", shown);
        assertFalse(shown.contains("s3cret"));
    }
}
