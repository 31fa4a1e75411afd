package io.graytorrent.peerwire;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the engine implements to hear from the connections of one torrent.
 *
 * <p>Every method is called on the connection's Netty event loop, in the order things happened on
 * that connection. Implementations must return quickly: never block, never touch the disk; hop
 * onto the torrent's own executor for anything more than bookkeeping.
 */
@ConsumerType
public interface PeerListener {

    /**
     * The handshake is complete. The first message the engine sends should be the torrent's
     * availability: a BITFIELD, or HAVE_ALL / HAVE_NONE when {@code negotiated().fast()}.
     */
    void onConnected(PeerConnection peer);

    /**
     * A message arrived. Extension messages are not delivered here but to their
     * {@link ExtensionMessageHandler}; the extension handshake arrives as
     * {@link #onExtensionHandshake}. A {@link PeerMessage.Piece}'s buffer must be released by the
     * listener (after the storage has written it).
     *
     * <p>Availability may come late and more than once: a BITFIELD or HAVE_ALL after HAVEs or after
     * another BITFIELD adds to what the peer has (the union). Availability messages that add nothing
     * (repeats, a late HAVE_NONE) are not delivered. While the piece count is unknown (a magnet link
     * before its metadata) none is delivered: the connection keeps it until
     * {@link PeerConnection#pieceCount(int)}.
     */
    void onMessage(PeerConnection peer, PeerMessage message);

    /**
     * The messages one read of the connection brought, in the order they arrived, as {@link #onMessage}
     * would have had them one by one (the default does just that): a listener that hands them to another
     * thread can hand them over in one go, as one read carries many blocks. The list is the listener's.
     */
    default void onMessages(PeerConnection peer, List<PeerMessage> messages) {
        for (PeerMessage message : messages) {
            onMessage(peer, message);
        }
    }

    /** The peer's extension handshake (BEP 10) arrived; it may arrive again with changes. */
    default void onExtensionHandshake(PeerConnection peer, ExtensionHandshake handshake) {
    }

    /** The connection's {@link PeerConnection#isWritable() writability} changed: back-pressure on uploads. */
    default void onWritabilityChanged(PeerConnection peer, boolean writable) {
    }

    /**
     * A dial of {@code address} for this torrent that the torrent did not choose itself (a holepunch's,
     * BEP 55): the torrent runs {@code dial} only if its connection admission would dial the address
     * now (not banned, blocked or ourselves, not connected or being dialled already, room under its
     * own and the engine-wide connection limits), and counts it among its dials in progress until it
     * completes; otherwise the result fails with a {@link PeerConnectException} and nothing is dialled.
     * Called on any thread; must not block. The default dials at once.
     */
    default CompletableFuture<PeerConnection> dialAdmitted(InetSocketAddress address,
            Supplier<CompletableFuture<PeerConnection>> dial) {
        return dial.get();
    }

    /** The connection closed, after {@link #onConnected} was called for it. Called once. */
    void onClosed(PeerConnection peer, CloseReason reason);
}
