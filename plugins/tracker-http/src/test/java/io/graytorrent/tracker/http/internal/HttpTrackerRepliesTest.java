package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TrackerException;
import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

@Unit
class HttpTrackerRepliesTest {
    private final HttpTrackerReplies replies = new HttpTrackerReplies(64 * 1024);

    /** Bencode text with \xNN escapes for raw bytes. */
    static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\x", i)) {
                out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(text.charAt(i));
            }
        }
        return out.toByteArray();
    }

    @Test
    void readsAReplyRecordedFromOpentracker() throws IOException, TrackerException {
        byte[] recorded;
        try (InputStream in = getClass().getResourceAsStream("/opentracker-announce.bin")) {
            recorded = in.readAllBytes();
        }
        AnnounceResponse reply = replies.announce(recorded);
        assertEquals(Duration.ofSeconds(1626), reply.interval());
        assertEquals(Optional.of(Duration.ofSeconds(813)), reply.minInterval());
        assertEquals(OptionalInt.of(1), reply.seeders());
        assertEquals(OptionalInt.of(1), reply.leechers());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6882), new InetSocketAddress("127.0.0.1", 6881)), reply.peers());
    }

    @Test
    void readsCompactIpv4AndIpv6PeersWithWarningAndTrackerId() throws TrackerException {
        AnnounceResponse reply = replies.announce(bytes("d8:intervali900e5:peers6:\\x0a\\x00\\x00\\x01\\x1a\\xe1"
                + "6:peers636:\\x20\\x01\\x0d\\xb8\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\x1a\\xe2"
                + "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x00"
                + "10:tracker id3:abc15:warning message4:slowe"));
        assertEquals(List.of(new InetSocketAddress("10.0.0.1", 6881), new InetSocketAddress("2001:db8::1", 6882)),
                reply.peers(), "the IPv6 entry with port 0 is skipped");
        assertEquals(Optional.of("abc"), reply.trackerId());
        assertEquals(Optional.of("slow"), reply.warning());
        assertEquals(Optional.empty(), reply.minInterval());
    }

    @Test
    void readsTheExternalIpAndIgnoresOneOfAnotherLength() throws Exception {
        AnnounceResponse reply = replies.announce(bytes("d11:external ip4:\\xc6\\x33\\x64\\x04"
                + "8:intervali900e5:peers0:e"));
        assertEquals(Optional.of(InetAddress.getByName("198.51.100.4")), reply.externalIp());
        AnnounceResponse odd = replies.announce(bytes("d11:external ip3:abc8:intervali900e5:peers0:e"));
        assertEquals(Optional.empty(), odd.externalIp());
        assertEquals(Optional.empty(), replies.announce(bytes("d8:intervali900e5:peers0:e")).externalIp());
    }

    @Test
    void readsDictionaryPeersSkippingBogusPortsAndHostNames() throws TrackerException {
        AnnounceResponse reply = replies.announce(bytes("d8:intervali60e5:peersl"
                + "d2:ip9:127.0.0.14:porti6881ee"
                + "d2:ip9:127.0.0.24:porti0ee"
                + "d2:ip9:127.0.0.34:porti70000ee"
                + "d2:ip9:127.0.0.44:port4:6881e"
                + "d2:ip11:example.org4:porti6881ee"
                + "d2:ip3:::14:porti6889ee"
                + "i7ee"
                + "e"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("::1", 6889)), reply.peers());
    }

    @Test
    void theFailureReasonBecomesTheExceptionMessage() {
        TrackerException e = assertThrows(TrackerException.class,
                () -> replies.announce(bytes("d14:failure reason17:torrent not founde")));
        assertEquals("torrent not found", e.getMessage());
    }

    @Test
    void truncatedAndHugeRepliesAreTrackerErrors() {
        assertTrue(assertThrows(TrackerException.class, () -> replies.announce(bytes("d8:intervali900e5:peers12:\\x0a")))
                .getMessage().startsWith("the tracker's reply is not valid bencode"));
        byte[] huge = ("d8:intervali900e5:peers" + 70_000 + ":" + "x".repeat(70_000) + "e").getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(TrackerException.class, () -> replies.announce(huge)).getMessage().contains("exceeds"));
    }

    @Test
    void wrongTypesAreNamed() {
        assertEquals("interval is not an integer", assertThrows(TrackerException.class,
                () -> replies.announce(bytes("d8:interval3:abce"))).getMessage());
        assertEquals("the tracker's reply has no interval", assertThrows(TrackerException.class,
                () -> replies.announce(bytes("d5:peers0:e"))).getMessage());
        assertEquals("interval -5 is not positive", assertThrows(TrackerException.class,
                () -> replies.announce(bytes("d8:intervali-5ee"))).getMessage());
        assertEquals("peers is neither a string nor a list", assertThrows(TrackerException.class,
                () -> replies.announce(bytes("d8:intervali9e5:peersi3ee"))).getMessage());
        assertEquals("peers6 is not a string", assertThrows(TrackerException.class,
                () -> replies.announce(bytes("d8:intervali9e6:peers6lee"))).getMessage());
        assertTrue(assertThrows(TrackerException.class, () -> replies.announce(bytes("d8:intervali9e5:peers7:abcdefge")))
                .getMessage().contains("not a whole number of 6-byte entries"));
        assertEquals("the tracker's reply is not a dictionary", assertThrows(TrackerException.class,
                () -> replies.announce(bytes("le"))).getMessage());
    }

    @Test
    void aLongIntervalIsClamped() throws TrackerException {
        assertEquals(HttpTrackerReplies.MAX_INTERVAL, replies.announce(bytes("d8:intervali99999999999ee")).interval());
    }

    @Test
    void capsTheNumberOfPeers() throws TrackerException {
        StringBuilder compact = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            compact.append("\\x0a\\x00\\x00\\x01\\x1a\\xe1");
        }
        assertEquals(HttpTrackerReplies.MAX_PEERS,
                replies.announce(bytes("d8:intervali9e5:peers6000:" + compact + "e")).peers().size());
    }

    @Test
    void readsAScrapeEntry() throws TrackerException {
        InfoHash hash = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
        byte[] recorded = bytes("d5:filesd20:\\x01\\x23\\x45\\x67\\x89\\xab\\xcd\\xef\\x01\\x23\\x45\\x67\\x89\\xab\\xcd\\xef"
                + "\\x01\\x23\\x45\\x67d8:completei1e10:downloadedi4e10:incompletei2eeee");
        assertEquals(new io.graytorrent.api.ScrapeResponse(1, 4, 2), replies.scrape(recorded, hash));
        assertEquals("the scrape reply does not list " + "f".repeat(40), assertThrows(TrackerException.class,
                () -> replies.scrape(recorded, InfoHash.parse("f".repeat(40)))).getMessage());
    }
}
