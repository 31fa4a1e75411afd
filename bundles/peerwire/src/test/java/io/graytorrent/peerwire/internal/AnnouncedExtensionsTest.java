package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which extensions a connection announces: those registered when its extension handshake goes out
 * and that say yes to the connection (PEX says no to private torrents); one registered later is
 * announced by later connections only.
 */
@Unit
class AnnouncedExtensionsTest {
    private static final Capabilities EXTENDED = new Capabilities(false, true, false);

    private final ExtensionRegistry registry = new ExtensionRegistry();

    @Test
    void anExtensionThatSaysNoToPrivateTorrentsIsLeftOutOfTheirHandshakes() {
        registry.register(new Named("ut_metadata", peer -> true));
        registry.register(new Named("ut_pex", peer -> !peer.privateTorrent()));

        assertEquals(Set.of("ut_metadata", "ut_pex"), announced(false));
        assertEquals(Set.of("ut_metadata"), announced(true));
    }

    @Test
    void anExtensionRegisteredAtRunTimeIsAnnouncedByConnectionsStartedAfterIt() {
        registry.register(new Named("ut_metadata", peer -> true));
        EmbeddedSession before = connect(false);
        registry.register(new Named("upload_only", peer -> true));

        assertEquals(Set.of("ut_metadata"), announcedBy(before));
        assertEquals(Set.of("ut_metadata", "upload_only"), announced(false));
    }

    @Test
    void anExtensionRegisteredLaterJoinsOpenConnectionsWithAFurtherHandshake() {
        registry.register(new Named("ut_metadata", peer -> true));
        EmbeddedSession session = connect(false);
        assertEquals(Set.of("ut_metadata"), announcedBy(session));
        session.receive(remoteExtensionHandshake(), 5);
        List<String> heard = new ArrayList<>();
        registry.register(new Named("ut_pex", peer -> true) {
            @Override
            public void onHandshake(PeerConnection peer, ExtensionHandshake handshake) {
                heard.add(handshake.client().orElse("?"));
            }
        });

        session.session.extensionsChanged();
        session.channel.runPendingTasks();
        assertEquals(List.of(Set.of("ut_metadata", "ut_pex")), handshakesSent(session, 0));
        assertEquals(List.of("Remote 1.0"), heard, "the newcomer hears the handshake the peer sent before");

        session.session.extensionsChanged();
        session.channel.runPendingTasks();
        assertEquals(List.of(), handshakesSent(session, 0), "nothing new, nothing sent");
    }

    /** A peer's extension handshake as a whole frame. */
    private static byte[] remoteExtensionHandshake() {
        byte[] payload = BencodeEncoder.encode(Map.of("m", Map.of("ut_pex", 3),
                "v", "Remote 1.0"));
        return ByteBuffer.allocate(6 + payload.length).putInt(2 + payload.length).put(MessageIds.EXTENDED)
                .put((byte) MessageIds.EXTENDED_HANDSHAKE).put(payload).array();
    }

    @Test
    void anExtensionThatThrowsWhenAskedIsLeftOutAndTheConnectionStays() {
        registry.register(new Named("broken", peer -> {
            throw new IllegalStateException("plugin bug");
        }));
        EmbeddedSession session = connect(false);
        assertEquals(Set.of(), announcedBy(session));
        assertTrue(session.channel.isOpen());
    }

    private Set<String> announced(boolean privateTorrent) {
        return announcedBy(connect(privateTorrent));
    }

    private EmbeddedSession connect(boolean privateTorrent) {
        EmbeddedSession session = new EmbeddedSession(4, privateTorrent, new Quiet(), registry);
        session.receive(EmbeddedSession.handshake(EXTENDED), 7);
        return session;
    }

    /** The names in the {@code m} dictionary of the (first) extension handshake the session sent. */
    private static Set<String> announcedBy(EmbeddedSession session) {
        List<Set<String>> handshakes = handshakesSent(session, Handshake.LENGTH);
        if (handshakes.isEmpty()) {
            throw new AssertionError("no extension handshake was sent");
        }
        return handshakes.get(0);
    }

    /** The {@code m} names of each extension handshake among the frames sent, after {@code skip} bytes. */
    private static List<Set<String>> handshakesSent(EmbeddedSession session, int skip) {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (ByteBuf out; (out = session.channel.readOutbound()) != null; out.release()) {
            sent.writeBytes(ByteBufUtil.getBytes(out));
        }
        ByteBuffer frames = ByteBuffer.wrap(sent.toByteArray(), skip, sent.size() - skip);
        List<Set<String>> handshakes = new ArrayList<>();
        while (frames.remaining() >= 4) {
            byte[] frame = new byte[frames.getInt()];
            frames.get(frame);
            if (frame.length > 1 && frame[0] == MessageIds.EXTENDED && frame[1] == MessageIds.EXTENDED_HANDSHAKE) {
                handshakes.add(ExtensionHandshake.parse(Arrays.copyOfRange(frame, 2, frame.length)).messageIds().keySet());
            }
        }
        return handshakes;
    }

    private interface Decision {
        boolean announce(PeerConnection peer);
    }

    private static class Named implements ExtensionMessageHandler {
        private final String name;
        private final Decision decision;

        Named(String name, Decision decision) {
            this.name = name;
            this.decision = decision;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean announcedTo(PeerConnection peer) {
            return decision.announce(peer);
        }

        @Override
        public void onMessage(PeerConnection peer, byte[] payload) {
        }
    }

    private static final class Quiet implements PeerListener {
        @Override
        public void onConnected(PeerConnection peer) {
        }

        @Override
        public void onMessage(PeerConnection peer, PeerMessage message) {
        }

        @Override
        public void onClosed(PeerConnection peer, CloseReason reason) {
        }
    }
}
