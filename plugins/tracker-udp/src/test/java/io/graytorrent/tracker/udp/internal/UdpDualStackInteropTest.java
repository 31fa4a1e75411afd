package io.graytorrent.tracker.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Opentracker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 7 over UDP: a tracker name with an IPv4 and an IPv6 address gets a BEP 15 exchange on each, from
 * our address of that family, and the peers of both replies come back together. IPv4: Debian's
 * opentracker on 127.0.0.1 (IPv4-only build); IPv6: a BEP 15 responder on [::1] at the same port
 * giving one IPv6 peer. {@code tracker.test} resolves to both through the client's lookup hook.
 */
@Timeout(60)
@Interop
class UdpDualStackInteropTest {
    private static final InfoHash HASH = InfoHash.parse("00112233445566778899aabbccddeeff00112234");

    @Test
    void eachFamilyIsAnnouncedFromItsOwnAddressAndThePeersOfBothAreUsed() throws Exception {
        Assumptions.assumeTrue(java.net.NetworkInterface.getByName("lo").inetAddresses()
                .anyMatch(a -> a.getHostAddress().startsWith("0:0:0:0:0:0:0:1")), "skipped: no ::1 on lo");
        byte[] v6Peer = new byte[18];
        v6Peer[15] = 1; // ::1
        v6Peer[16] = 0x1b;
        v6Peer[17] = 0x5a; // port 7002
        try (Opentracker v4 = new Opentracker(List.of(HASH.toHex()));
                FakeUdpTracker v6 = new FakeUdpTracker(new InetSocketAddress(InetAddress.getByName("::1"), v4.port),
                        (packet, before) -> packet.bytes().length == 16
                                ? FakeUdpTracker.connectReply(packet, 42L) : FakeUdpTracker.announceReply(packet, v6Peer));
                UdpTrackerClient client = new UdpTrackerClient(500, 3, Duration.ofSeconds(60))) {
            client.resolveWith(host -> {
                try {
                    return host.equals("tracker.test")
                            ? List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))
                            : List.of(InetAddress.getAllByName(host));
                } catch (java.io.IOException e) {
                    return List.of();
                }
            });
            client.announce(announce(URI.create(v4.udpUrl()), "-LT0001-otherpeer001", 7001)).get(10, TimeUnit.SECONDS);

            AnnounceResponse reply = client.announce(announce(URI.create("udp://tracker.test:" + v4.port + "/announce"),
                    "-GT0100-dualstack001", 6881)).get(20, TimeUnit.SECONDS);
            assertTrue(reply.peers().containsAll(List.of(new InetSocketAddress("127.0.0.1", 7001),
                    new InetSocketAddress("::1", 7002))), "both trackers' peers: " + reply.peers());
            assertEquals(Optional.empty(), reply.warning());
            assertEquals(2, v6.received.size(), "connect and announce on IPv6");
            for (FakeUdpTracker.Received packet : v6.received) {
                assertEquals(InetAddress.getByName("::1"), ((InetSocketAddress) packet.from()).getAddress());
            }
            AnnounceResponse third = client.announce(announce(URI.create(v4.udpUrl()), "-LT0001-thirdpeer001", 7003))
                    .get(10, TimeUnit.SECONDS);
            assertTrue(third.peers().contains(new InetSocketAddress("127.0.0.1", 6881)), "opentracker has us: " + third.peers());
        }
    }

    private static AnnounceRequest announce(URI tracker, String peerId, int port) {
        return new AnnounceRequest(tracker, HASH, peerId.getBytes(StandardCharsets.US_ASCII), port, 0, 0, 1000,
                AnnounceEvent.STARTED, 50, port, Optional.empty());
    }
}
