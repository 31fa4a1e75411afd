package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

@Unit
class ExtensionHandshakeTest {

    @Test
    void readsTheFieldsOfBep10AndBep9() throws Exception {
        byte[] payload = BencodeEncoder.encode(Map.of(
                "m", Map.of("ut_metadata", 2, "ut_pex", 1, "lt_donthave", 0),
                "v", "libtorrent 2.0.8", "p", 6881, "reqq", 500,
                "yourip", new byte[] {127, 0, 0, 1}, "metadata_size", 31235, "upload_only", 1));
        ExtensionHandshake handshake = ExtensionHandshake.parse(payload);
        assertEquals(Map.of("ut_metadata", 2, "ut_pex", 1), handshake.messageIds());
        assertEquals(Optional.of("libtorrent 2.0.8"), handshake.client());
        assertEquals(OptionalInt.of(6881), handshake.listenPort());
        assertEquals(OptionalInt.of(500), handshake.requestQueue());
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), handshake.yourIp());
        assertEquals(OptionalLong.of(31235), handshake.metadataSize());
        assertTrue(handshake.fields().get("upload_only").isPresent());
    }

    @Test
    void treatsFieldsOfTheWrongTypeOrRangeAsAbsent() {
        byte[] payload = BencodeEncoder.encode(Map.of(
                "m", Map.of("ut_metadata", "two", "ut_pex", 256), "v", 5, "p", 70000, "reqq", "many",
                "yourip", new byte[] {1, 2, 3}, "metadata_size", -1));
        ExtensionHandshake handshake = ExtensionHandshake.parse(payload);
        assertEquals(Map.of(), handshake.messageIds());
        assertEquals(Optional.empty(), handshake.client());
        assertEquals(OptionalInt.empty(), handshake.listenPort());
        assertEquals(OptionalInt.empty(), handshake.requestQueue());
        assertEquals(Optional.empty(), handshake.yourIp());
        assertEquals(OptionalLong.empty(), handshake.metadataSize());
    }

    @Test
    void refusesAPayloadThatIsNotABencodedDictionary() {
        assertThrows(PeerProtocolException.class,
                () -> ExtensionHandshake.parse("li1ee".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(PeerProtocolException.class,
                () -> ExtensionHandshake.parse("d1:m".getBytes(StandardCharsets.US_ASCII)));
    }
}
