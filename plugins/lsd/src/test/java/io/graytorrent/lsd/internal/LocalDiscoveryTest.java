package io.graytorrent.lsd.internal;

import static io.graytorrent.lsd.internal.LsdMessageTest.A;
import static io.graytorrent.lsd.internal.LsdMessageTest.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.lsd.internal.LocalDiscovery.Verdict;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Unit
class LocalDiscoveryTest {
    private static final long MINUTE = 60_000;
    private static final String HOST = "239.192.152.143:6771";

    private final LocalDiscovery discovery = new LocalDiscovery("0badc0de", new AnnounceSchedule(5 * MINUTE, MINUTE, 25),
            MINUTE, 10);
    private final List<InetSocketAddress> foundA = new ArrayList<>();
    private final List<InetSocketAddress> foundB = new ArrayList<>();

    @Test
    void aRunningTorrentIsAnnouncedWithOurPortAndCookie() {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        discovery.start(new RunningTorrent(B, false, 6881, true), foundB::add, 0);
        assertEquals(new LsdMessage(6881, List.of(B, A), "0badc0de"), discovery.due(0), "started together: by infohash");
        assertNull(discovery.due(1000));
        discovery.stop(A);
        assertEquals(new LsdMessage(6881, List.of(B), "0badc0de"), discovery.due(5 * MINUTE));
    }

    @Test
    void aPrivateTorrentIsNeverAnnouncedNorGivenPeers() {
        discovery.start(new RunningTorrent(A, true, 6881, false), foundA::add, 0);
        assertNull(discovery.due(0));
        assertTrue(receive("192.168.1.20", announce(7000, "ffff", A), 0).isEmpty());
        assertEquals(1, discovery.count(Verdict.UNKNOWN_TORRENT));
    }

    @Test
    void anAnnounceFromALocalNetworkHandsThePeerToEachTorrentWeRun() {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        discovery.start(new RunningTorrent(B, false, 6881, false), foundB::add, 0);
        receive("192.168.1.20", announce(7000, "ffff", A, B, InfoHash.parse("00000000000000000000000000000000000000ee")), 0)
                .forEach(LocalDiscovery.Handoff::run);
        assertEquals(List.of(new InetSocketAddress("192.168.1.20", 7000)), foundA);
        assertEquals(List.of(new InetSocketAddress("192.168.1.20", 7000)), foundB);
        assertEquals(1, discovery.count(Verdict.USED));
    }

    @Test
    void ourOwnAnnounceComingBackIsIgnored() {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        byte[] ours = discovery.due(0).encode(HOST);
        assertTrue(discovery.received(address("127.0.0.1"), ours, ours.length, 0).isEmpty());
        assertEquals(1, discovery.count(Verdict.OURS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "100.64.0.1", "172.32.0.1", "2001:db8::1", "ff02::1", "239.192.152.143"})
    void anAnnounceFromOutsideTheLocalNetworksIsRefused(String from) {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        assertTrue(receive(from, announce(7000, "", A), 0).isEmpty());
        assertEquals(1, discovery.count(Verdict.NOT_LOCAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.0.9", "169.254.3.4", "127.0.0.1",
        "::1", "fe80::1", "fd12:3456::1", "fc00::2"})
    void anAnnounceFromALocalRangeIsTaken(String from) {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        assertEquals(1, receive(from, announce(7000, "", A), 0).size());
    }

    @Test
    void malformedDatagramsChangeNothing() {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        for (String junk : List.of("", "BT-SEARCH * HTTP/1.1\r\n", "\0\0\0\0", "BT-SEARCH * HTTP/1.1\r\nPort: 99999\r\nInfohash: "
                + A.toHex() + "\r\n\r\n")) {
            assertTrue(receive("192.168.1.20", junk.getBytes(StandardCharsets.ISO_8859_1), 0).isEmpty());
        }
        byte[] cut = new byte[LsdMessage.MAX_DATAGRAM + 1];
        assertTrue(discovery.received(address("192.168.1.20"), cut, cut.length, 0).isEmpty());
        assertEquals(5, discovery.count(Verdict.MALFORMED));
        assertEquals(new LsdMessage(6881, List.of(A), "0badc0de"), discovery.due(0), "the schedule is untouched");
    }

    @Test
    void theSamePeerIsPassedOnAgainOnlyAfterTheRepeatTime() {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        byte[] announce = announce(7000, "", A);
        assertEquals(1, receive("192.168.1.20", announce, 0).size());
        assertTrue(receive("192.168.1.20", announce, 30_000).isEmpty());
        assertEquals(1, receive("192.168.1.21", announce, 30_000).size(), "another peer is new");
        assertEquals(1, receive("192.168.1.20", announce, MINUTE).size());
        assertEquals(1, discovery.count(Verdict.REPEATED));
    }

    @Test
    void datagramsOverTheRateAreDroppedUnreadUntilTheBucketRefills() {
        discovery.start(new RunningTorrent(A, false, 6881, false), foundA::add, 0);
        for (int i = 0; i < 20; i++) { // the burst: twice the 10 a second
            assertFalse(receive("10.0.0." + (i + 1), announce(7000, "", A), 0).isEmpty());
        }
        assertTrue(receive("10.0.1.1", announce(7000, "", A), 0).isEmpty());
        assertTrue(receive("8.8.8.8", announce(7000, "", A), 50).isEmpty(), "not even checked for locality");
        assertEquals(2, discovery.count(Verdict.OVER_RATE));
        assertEquals(1, receive("10.0.1.1", announce(7000, "", A), 100).size(), "a token every 100 ms");
    }

    private List<LocalDiscovery.Handoff> receive(String from, byte[] datagram, long now) {
        return discovery.received(address(from), datagram, datagram.length, now);
    }

    private static byte[] announce(int port, String cookie, InfoHash... infoHashes) {
        return new LsdMessage(port, List.of(infoHashes), cookie).encode(HOST);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
