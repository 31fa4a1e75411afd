package io.graytorrent.tracker.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.TrackerException;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class UdpPacketsTest {
    private static ByteBuffer announceReply(int interval, byte[] peers) {
        return ByteBuffer.wrap(ByteBuffer.allocate(20 + peers.length).putInt(UdpPackets.ANNOUNCE).putInt(7).putInt(interval)
                .putInt(1).putInt(2).put(peers).array());
    }

    @Test
    void readsIpv6PeersFromAnIpv6TrackerSkippingPortZeroAndATrailingPartialEntry() throws TrackerException {
        ByteBuffer peers = ByteBuffer.allocate(18 * 2 + 5);
        peers.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}).putShort((short) 51413);
        peers.put(new byte[16]).putShort((short) 0);
        AnnounceResponse reply = UdpPackets.announceReply(announceReply(60, peers.array()), 16);
        assertEquals(List.of(new InetSocketAddress("2001:db8::1", 51413)), reply.peers());
        assertEquals(2, reply.seeders().getAsInt());
        assertEquals(1, reply.leechers().getAsInt());
    }

    @Test
    void aBogusIntervalIsRefusedAndAHugeOneClamped() throws TrackerException {
        assertEquals("interval -1 is not positive",
                assertThrows(TrackerException.class, () -> UdpPackets.announceReply(announceReply(-1, new byte[0]), 4)).getMessage());
        assertEquals(UdpPackets.MAX_INTERVAL, UdpPackets.announceReply(announceReply(Integer.MAX_VALUE, new byte[0]), 4).interval());
        assertEquals(Duration.ofSeconds(60), UdpPackets.announceReply(announceReply(60, new byte[0]), 4).interval());
    }

    @Test
    void capsTheNumberOfPeers() throws TrackerException {
        byte[] peers = new byte[6 * 1000];
        for (int i = 0; i < 1000; i++) {
            peers[i * 6] = 10;
            peers[i * 6 + 5] = 1;
        }
        assertEquals(UdpPackets.MAX_PEERS, UdpPackets.announceReply(announceReply(60, peers), 4).peers().size());
    }

    @Test
    void longUrlDataIsSplitInto255ByteOptions() {
        String path = "/" + "a".repeat(299);
        byte[] packet = UdpPackets.announce(1, 2, new io.graytorrent.api.AnnounceRequest(URI.create("udp://t:1" + path),
                io.graytorrent.api.InfoHash.parse("0".repeat(40)), new byte[20], 1, 0, 0, 0,
                io.graytorrent.api.AnnounceEvent.NONE, -1, 0, java.util.Optional.empty()));
        assertEquals(98 + 2 + 255 + 2 + 45 + 1, packet.length);
        assertEquals(255, packet[99] & 0xff);
        assertEquals(45, packet[98 + 2 + 255 + 1]);
        assertEquals(path, new String(packet, 100, 255, StandardCharsets.US_ASCII)
                + new String(packet, 98 + 2 + 255 + 2, 45, StandardCharsets.US_ASCII));
    }

    @Test
    void anErrorMessageIsBounded() {
        ByteBuffer error = ByteBuffer.wrap(ByteBuffer.allocate(8 + 5000).putInt(UdpPackets.ERROR).putInt(1).array());
        assertEquals(1024, UdpPackets.errorMessage(error).length());
    }
}
