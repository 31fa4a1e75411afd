package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Arrays;
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

    /** The names in the {@code m} dictionary of the extension handshake the session sent. */
    private static Set<String> announcedBy(EmbeddedSession session) {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (ByteBuf out; (out = session.channel.readOutbound()) != null; out.release()) {
            sent.writeBytes(ByteBufUtil.getBytes(out));
        }
        ByteBuffer frames = ByteBuffer.wrap(sent.toByteArray(), Handshake.LENGTH, sent.size() - Handshake.LENGTH);
        while (frames.remaining() >= 4) {
            byte[] frame = new byte[frames.getInt()];
            frames.get(frame);
            if (frame.length > 1 && frame[0] == MessageIds.EXTENDED && frame[1] == MessageIds.EXTENDED_HANDSHAKE) {
                return ExtensionHandshake.parse(Arrays.copyOfRange(frame, 2, frame.length)).messageIds().keySet();
            }
        }
        throw new AssertionError("no extension handshake was sent");
    }

    private interface Decision {
        boolean announce(PeerConnection peer);
    }

    private static final class Named implements ExtensionMessageHandler {
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
