package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.DhtStatus;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 5 on the peer wire: the DHT bit and the PORT message, both ways, while a DHT runs and while none does. */
@Unit
class DhtPortTest {
    private static final Capabilities REMOTE_WITH_DHT = new Capabilities(true, false, true);

    private final List<InetSocketAddress> offered = new ArrayList<>();
    private final List<List<InetAddress>> reported = new ArrayList<>();
    private final List<PeerMessage> passedOn = new ArrayList<>();
    private final DhtLink dht = new DhtLink();

    @Test
    void withADhtOurHandshakeSetsTheBitAndAPeerSettingItTooGetsOurPortAndMayOfferANode() {
        dht.use(new FakeDht());
        EmbeddedSession connection = new EmbeddedSession(8, listener(), dht);
        connection.receive(concat(EmbeddedSession.handshake(REMOTE_WITH_DHT), port(7001)), 3);

        byte[] sent = connection.sent();
        assertEquals(0x01, sent[27] & 0x01, "reserved[7] & 0x01 in our handshake");
        assertArrayEquals(port(6999), Arrays.copyOfRange(sent, Handshake.LENGTH, Handshake.LENGTH + 7),
                "PORT right after the handshake");
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7001)), offered, "the peer's node, at its IP");
        assertTrue(passedOn.isEmpty(), "PORT is the DHT's, not the engine's: " + passedOn);
        assertTrue(connection.channel.isOpen());
    }

    @Test
    void theAddressAPeersExtensionHandshakeSeesUsAtGoesToTheDhtAsAVote() throws Exception {
        dht.use(new FakeDht());
        EmbeddedSession connection = new EmbeddedSession(8, listener(), dht);
        byte[] yourIp = {(byte) 203, 0, 113, 5};
        connection.receive(concat(EmbeddedSession.handshake(new Capabilities(true, true, true)),
                extensionHandshake("d1:mde6:yourip4:" + new String(yourIp, StandardCharsets.ISO_8859_1) + "e")), 5);

        assertEquals(List.of(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByAddress(yourIp))), reported,
                "the peer's IP votes for the address it reported");
        assertTrue(connection.channel.isOpen());
    }

    @Test
    void withoutADhtNeitherTheBitNorAPortIsSent() {
        EmbeddedSession connection = new EmbeddedSession(8, listener(), dht);
        connection.receive(EmbeddedSession.handshake(REMOTE_WITH_DHT), 5);

        byte[] sent = connection.sent();
        assertEquals(0, sent[27] & 0x01);
        assertEquals(Handshake.LENGTH, sent.length, "the handshake and nothing else");
    }

    /** {@code <len=3><id=9><port: uint16>} */
    private static byte[] port(int port) {
        return ByteBuffer.allocate(7).putInt(3).put((byte) MessageIds.PORT).putShort((short) port).array();
    }

    /** {@code <len><id=20><extended id=0><bencoded dictionary>} */
    private static byte[] extensionHandshake(String dictionary) {
        byte[] payload = dictionary.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(6 + payload.length).putInt(2 + payload.length).put((byte) MessageIds.EXTENDED)
                .put((byte) MessageIds.EXTENDED_HANDSHAKE).put(payload).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }


    private PeerListener listener() {
        return new PeerListener() {
            @Override
            public void onConnected(PeerConnection peer) {
            }

            @Override
            public void onMessage(PeerConnection peer, PeerMessage message) {
                passedOn.add(message);
            }

            @Override
            public void onClosed(PeerConnection peer, CloseReason reason) {
            }
        };
    }

    private final class FakeDht implements DhtService {
        @Override
        public DhtStatus status() {
            throw new UnsupportedOperationException("not asked on the peer wire");
        }

        @Override
        public int port() {
            return 6999;
        }

        @Override
        public void nodeOffered(InetSocketAddress node) {
            offered.add(node);
        }

        @Override
        public void addressReported(InetAddress reporter, InetAddress reportedAddress) {
            reported.add(List.of(reporter, reportedAddress));
        }

        @Override
        public void externalAddressKnown(InetAddress external) {
            reported.add(List.of(external));
        }
    }
}
