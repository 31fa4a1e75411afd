package io.graytorrent.tracker.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerException;
import io.graytorrent.testkit.Configurations;
import io.graytorrent.testkit.Unit;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@Unit
class UdpTrackerClientTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final byte[] PEER_ID = "-GT0100-123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final long CONNECTION_ID = 0x1122334455667788L;
    private static final long BASE_MILLIS = 100;

    private UdpTrackerClient client;
    private FakeUdpTracker tracker;

    @AfterEach
    void close() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    private static AnnounceRequest request(URI url) {
        return new AnnounceRequest(url, HASH, PEER_ID, 6881, 300, 200, 100, AnnounceEvent.STARTED, 50, 0xcafe, Optional.empty());
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static String failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(TrackerException.class, e.getCause()).getMessage();
    }

    @Test
    void packetsLeaveFromTheBoundAddressAndNotAtAllBehindAProxy() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> FakeUdpTracker.wellBehaved(packet, CONNECTION_ID));
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        // as Declarative Services configures it: its own PID's keys and the peer wire's network keys
        client.modified(Configurations.of(UdpTrackerConfiguration.class, Map.of("retransmitBaseMillis", BASE_MILLIS)),
                Configurations.of(io.graytorrent.api.util.NetworkConfiguration.class, Map.of("bindAddress", "127.0.0.5")));
        await(client.announce(request(tracker.url("/announce"))));
        assertEquals(2, tracker.received.size(), "connect and announce");
        for (FakeUdpTracker.Received packet : tracker.received) {
            assertEquals(InetAddress.getByName("127.0.0.5"), ((InetSocketAddress) packet.from()).getAddress());
        }

        client.route(io.graytorrent.api.util.NetworkRoute.of("", "", "socks5://127.0.0.1:1080", "", "", false));
        String refused = failure(client.announce(request(tracker.url("/announce"))));
        assertTrue(refused.startsWith("udp trackers are off: UDP cannot go through the SOCKS5 proxy 127.0.0.1:1080"), refused);
        assertEquals(2, tracker.received.size(), "nothing sent beside the proxy");

        client.route(io.graytorrent.api.util.NetworkRoute.of("", "gt-missing0", "", "", "", false));
        assertEquals("interface gt-missing0 is missing; nothing is sent until it returns",
                failure(client.announce(request(tracker.url("/announce")))));
        assertEquals(2, tracker.received.size());
    }

    @Test
    void connectsThenAnnouncesWithEveryFieldInPlace() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> FakeUdpTracker.wellBehaved(packet, CONNECTION_ID));
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        AnnounceResponse reply = await(client.announce(request(tracker.url("/announce?passkey=abc"))));

        assertEquals(List.of(new InetSocketAddress("10.0.0.1", 6881)), reply.peers());
        assertEquals(Duration.ofSeconds(900), reply.interval());
        assertEquals(5, reply.seeders().getAsInt());
        assertEquals(3, reply.leechers().getAsInt());
        ByteBuffer connect = tracker.received.get(0).buffer();
        assertEquals(UdpPackets.PROTOCOL_ID, connect.getLong(0));
        assertEquals(UdpPackets.CONNECT, connect.getInt(8));
        ByteBuffer announce = tracker.received.get(1).buffer();
        assertEquals(CONNECTION_ID, announce.getLong(0));
        assertEquals(UdpPackets.ANNOUNCE, announce.getInt(8));
        assertEquals(HASH, InfoHash.of(Arrays.copyOfRange(announce.array(), 16, 36)));
        assertEquals("-GT0100-123456789012", new String(announce.array(), 36, 20, StandardCharsets.US_ASCII));
        assertEquals(200, announce.getLong(56), "downloaded");
        assertEquals(100, announce.getLong(64), "left");
        assertEquals(300, announce.getLong(72), "uploaded");
        assertEquals(2, announce.getInt(80), "event started");
        assertEquals(0xcafe, announce.getInt(88), "key");
        assertEquals(50, announce.getInt(92), "num want");
        assertEquals(6881, announce.getShort(96) & 0xffff, "port");
        String urlData = "/announce?passkey=abc";
        assertEquals(98 + 2 + urlData.length() + 1, announce.limit(), "one BEP 41 URL data option and the end option");
        assertEquals(UdpPackets.OPTION_URL_DATA, announce.get(98));
        assertEquals(urlData.length(), announce.get(99));
        assertEquals(urlData, new String(announce.array(), 100, urlData.length(), StandardCharsets.US_ASCII));
        assertEquals(UdpPackets.OPTION_END, announce.get(100 + urlData.length()));
    }

    @Test
    void reusesTheConnectionIdWithinItsLifetimeAndRenewsItAfter() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> FakeUdpTracker.wellBehaved(packet, CONNECTION_ID));
        AtomicLong nanos = new AtomicLong();
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60), nanos::get);
        await(client.announce(request(tracker.url(""))));
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        await(client.announce(request(tracker.url(""))));
        assertEquals(List.of(UdpPackets.CONNECT, UdpPackets.ANNOUNCE, UdpPackets.ANNOUNCE),
                tracker.received.stream().map(FakeUdpTracker.Received::action).toList());
        nanos.incrementAndGet();
        await(client.announce(request(tracker.url(""))));
        assertEquals(5, tracker.received.size(), "an expired connection id is renewed with a new connect");
        assertEquals(UdpPackets.PROTOCOL_ID, tracker.received.get(3).buffer().getLong(0));
        assertEquals(98, tracker.received.get(2).bytes().length, "no URL data for a URL without a path");
    }

    /** The first two connects are lost: the third goes out base·2⁰ + base·2¹ after the first. */
    @Test
    void retransmitsOnTheBep15ScheduleWhenRepliesAreLost() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> before < 2 ? null : FakeUdpTracker.wellBehaved(packet, CONNECTION_ID));
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        await(client.announce(request(tracker.url(""))));

        List<FakeUdpTracker.Received> packets = tracker.received;
        assertEquals(4, packets.size(), "three connects, one announce");
        for (int i = 0; i < 3; i++) {
            assertEquals(UdpPackets.PROTOCOL_ID, packets.get(i).buffer().getLong(0), "packet " + i + " is a connect");
        }
        long firstGap = TimeUnit.NANOSECONDS.toMillis(packets.get(1).nanos() - packets.get(0).nanos());
        long secondGap = TimeUnit.NANOSECONDS.toMillis(packets.get(2).nanos() - packets.get(1).nanos());
        assertTrue(firstGap >= BASE_MILLIS - 5, "first retransmission after " + firstGap + " ms");
        // the wait doubles; timers fire late on a loaded machine, never early, so only lower bounds hold
        assertTrue(secondGap >= 2 * BASE_MILLIS - 5, "second retransmission after " + secondGap + " ms");
    }

    @Test
    void givesUpAfterTheLastRetransmission() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> null);
        client = new UdpTrackerClient(10, 3, Duration.ofSeconds(60));
        assertTrue(failure(client.announce(request(tracker.url("")))).startsWith("no reply from"));
        assertEquals(4, tracker.received.size(), "the first send and three retransmissions");
    }

    @Test
    void aChangedConfigurationAppliesWithoutANewSocket() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> before == 0 ? FakeUdpTracker.wellBehaved(packet, CONNECTION_ID) : null);
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        client.modified(Configurations.of(UdpTrackerConfiguration.class, Map.of("retransmitBaseMillis", 10L,
                "maxRetransmits", 1)));
        assertTrue(failure(client.announce(request(tracker.url("")))).startsWith("no reply from"));
        assertEquals(List.of(UdpPackets.CONNECT, UdpPackets.ANNOUNCE, UdpPackets.ANNOUNCE),
                tracker.received.stream().map(FakeUdpTracker.Received::action).toList(),
                "a connect answered, then the announce and one retransmission");
    }

    @Test
    void anErrorPacketFailsWithTheTrackersMessage() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> before == 0 ? FakeUdpTracker.connectReply(packet, CONNECTION_ID)
                : ByteBuffer.allocate(8 + 14).putInt(UdpPackets.ERROR).putInt(packet.transactionId())
                        .put("not authorized".getBytes(StandardCharsets.UTF_8)).array());
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        assertEquals("not authorized", failure(client.announce(request(tracker.url("")))));
    }

    /** A reply with a wrong transaction id, and a right one from another address, are both ignored. */
    @Test
    void ignoresRepliesWithAWrongTransactionIdOrFromAnotherAddress() throws Exception {
        try (DatagramSocket impostor = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            tracker = new FakeUdpTracker((packet, before) -> {
                if (before > 0) {
                    return FakeUdpTracker.wellBehaved(packet, CONNECTION_ID);
                }
                byte[] wrongId = ByteBuffer.allocate(16).putInt(UdpPackets.CONNECT).putInt(packet.transactionId() + 1)
                        .putLong(1).array();
                byte[] spoofed = FakeUdpTracker.connectReply(packet, 2);
                try {
                    impostor.send(new DatagramPacket(spoofed, spoofed.length, packet.from()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return wrongId; // and the real reply is "lost", so the client retransmits
            });
            client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
            await(client.announce(request(tracker.url(""))));
            assertEquals(3, tracker.received.size(), "connect, its retransmission, announce");
            assertEquals(CONNECTION_ID, tracker.received.get(2).buffer().getLong(0),
                    "the announce carries the id from the real reply, not 1 or 2");
        }
    }

    @Test
    void scrapesOneTorrent() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> before == 0 ? FakeUdpTracker.connectReply(packet, CONNECTION_ID)
                : ByteBuffer.allocate(20).putInt(UdpPackets.SCRAPE).putInt(packet.transactionId()).putInt(4).putInt(9)
                        .putInt(2).array());
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        assertEquals(new ScrapeResponse(4, 9, 2), await(client.scrape(tracker.url("/announce"), HASH)));
        ByteBuffer scrape = tracker.received.get(1).buffer();
        assertEquals(UdpPackets.SCRAPE, scrape.getInt(8));
        assertEquals(HASH, InfoHash.of(Arrays.copyOfRange(scrape.array(), 16, 36)));
    }

    @Test
    void aTruncatedAnnounceReplyIsATrackerError() throws Exception {
        tracker = new FakeUdpTracker((packet, before) -> before == 0 ? FakeUdpTracker.connectReply(packet, CONNECTION_ID)
                : ByteBuffer.allocate(12).putInt(UdpPackets.ANNOUNCE).putInt(packet.transactionId()).putInt(900).array());
        client = new UdpTrackerClient(BASE_MILLIS, 8, Duration.ofSeconds(60));
        assertEquals("the announce reply of 12 bytes is shorter than 20", failure(client.announce(request(tracker.url("")))));
    }

}
