package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Opentracker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 7 on a dual-stack host: a tracker name with an IPv4 and an IPv6 address is announced to once
 * on each, from our address of that family, and the peers of both replies come back together.
 * IPv4: Debian's opentracker on 127.0.0.1 (an IPv4-only build, which cannot listen on ::1); IPv6: an
 * HTTP tracker on [::1] at the same port answering with {@code peers6}. The name, {@code tracker.test},
 * resolves to both through the client's resolver hook; no {@code ipv4=}/{@code ipv6=} is sent.
 */
@Timeout(60)
@Interop
class DualStackInteropTest {
    private static final InfoHash HASH = InfoHash.parse("00112233445566778899aabbccddeeff00112233");

    @Test
    void eachFamilyIsAnnouncedFromItsOwnAddressAndThePeersOfBothAreUsed() throws Exception {
        Assumptions.assumeTrue(java.net.NetworkInterface.getByName("lo").inetAddresses()
                .anyMatch(a -> a.getHostAddress().startsWith("0:0:0:0:0:0:0:1")), "skipped: no ::1 on lo");
        try (Opentracker v4 = new Opentracker(List.of(HASH.toHex()))) {
            List<String> v6Queries = new CopyOnWriteArrayList<>();
            List<InetSocketAddress> v6Sources = new CopyOnWriteArrayList<>();
            HttpServer v6 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), v4.port), 0);
            v6.createContext("/announce", exchange -> {
                v6Queries.add(exchange.getRequestURI().getRawQuery());
                v6Sources.add(exchange.getRemoteAddress());
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes("d8:intervali900e5:peers0:6:peers618:".getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(InetAddress.getByName("::1").getAddress());
                body.writeBytes(new byte[] {0x1b, 0x5a}); // port 7002
                body.writeBytes("e".getBytes(StandardCharsets.US_ASCII));
                exchange.sendResponseHeaders(200, body.size());
                try (OutputStream out = exchange.getResponseBody()) {
                    body.writeTo(out);
                }
            });
            v6.start();
            try {
                HttpTrackerClient client = new HttpTrackerClient(Duration.ofSeconds(10), 1 << 20, 2, NetworkRoute.DIRECT,
                        host -> host.equals("tracker.test")
                                ? List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))
                                : List.of(InetAddress.getAllByName(host)));
                // another peer on opentracker first, so its reply has someone in it
                client.announce(announce(URI.create(v4.httpUrl()), "-LT0001-otherpeer001", 7001))
                        .get(10, TimeUnit.SECONDS);

                URI dual = URI.create("http://tracker.test:" + v4.port + "/announce");
                AnnounceResponse reply = client.announce(announce(dual, "-GT0100-dualstack001", 6881))
                        .get(20, TimeUnit.SECONDS);
                // opentracker may list the announcing peer itself as well
                assertTrue(reply.peers().containsAll(List.of(new InetSocketAddress("127.0.0.1", 7001),
                        new InetSocketAddress("::1", 7002))), "the IPv4 tracker's peer and the IPv6 tracker's, together: "
                        + reply.peers());
                assertEquals(Optional.empty(), reply.warning());

                assertEquals(1, v6Sources.size(), "one announce on IPv6");
                assertEquals(InetAddress.getByName("::1"), v6Sources.get(0).getAddress());
                assertTrue(!v6Queries.get(0).contains("ipv4=") && !v6Queries.get(0).contains("ipv6="), v6Queries.get(0));
                // opentracker has us now: a third peer is given our port among its peers
                AnnounceResponse third = client.announce(announce(URI.create(v4.httpUrl()), "-LT0001-thirdpeer001", 7003))
                        .get(10, TimeUnit.SECONDS);
                assertTrue(third.peers().contains(new InetSocketAddress("127.0.0.1", 6881)), third.peers().toString());
                client.close();
            } finally {
                v6.stop(0);
            }
        }
    }

    private static AnnounceRequest announce(URI tracker, String peerId, int port) {
        return new AnnounceRequest(tracker, HASH, peerId.getBytes(StandardCharsets.US_ASCII), port, 0, 0, 1000,
                AnnounceEvent.STARTED, 50, port, Optional.empty());
    }

}
