package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One peer connection after a completed handshake, as the engine sees it. Methods may be called
 * from any thread; sends are queued to the connection's event loop in call order.
 */
@ProviderType
public interface PeerConnection {

    InfoHash infoHash();

    /**
     * The infohash the handshake named: {@link #infoHash()}, or for a hybrid torrent (BEP 52) reached under its
     * truncated v2 infohash, or upgraded to it (one side dialled under the v1 hash with the v2 bit of {@link Capabilities}
     * set, the answer named the v2 hash), that one. Only a connection made under the v2 hash may carry hash requests.
     */
    default InfoHash handshakeInfoHash() {
        return infoHash();
    }

    InetSocketAddress remoteAddress();

    /**
     * Whether the connection's torrent is private (BEP 27), so that extensions spreading peers (PEX)
     * keep off it. False on a magnet link's connections while its metadata is unknown.
     */
    default boolean privateTorrent() {
        return false;
    }

    /** The transport the connection runs over: {@link PeerTransport#TCP} or a plugin's {@link PeerTransport#name()}. */
    default String transport() {
        return PeerTransport.TCP;
    }

    PeerId remotePeerId();

    /** True if we dialled the peer, false if it connected to our listening socket. */
    boolean outgoing();

    /** The extensions both sides announced; only these may be used on this connection. */
    Capabilities negotiated();

    /** The peer's extension handshake (BEP 10), once it has arrived. */
    Optional<ExtensionHandshake> remoteExtensionHandshake();

    /**
     * Sends a message. Messages sent close together leave in one flush; a {@link PeerMessage.Piece}'s
     * buffer passes to the connection.
     *
     * @throws IllegalArgumentException if the message belongs to an extension that was not negotiated
     */
    void send(PeerMessage message);

    /**
     * {@link #send(PeerMessage) Sends} a message and runs {@code whenDone} on the connection's event
     * loop once it is written to the socket, or once writing it failed (the connection then closes):
     * an uploader frees a block's resources and sends the next one exactly when this block is out.
     */
    void send(PeerMessage message, Runnable whenDone);

    /**
     * Sends an extension message to the id the peer assigned to {@code extensionName} in its
     * extension handshake.
     *
     * @return false, sending nothing, if the peer has not announced that extension (yet)
     */
    boolean sendExtended(String extensionName, byte[] payload);

    /**
     * How a live connection learns its torrent's piece count. A connection made for a magnet link
     * before its metadata had none (0) at the handshake: piece indices went unchecked, and the peer's
     * availability (BITFIELD, HAVE_ALL, HAVEs) was kept by the connection rather than delivered. Once
     * the metadata has arrived the torrent calls this: on the connection's event loop, between two
     * reads, the message decoder starts checking indices and bitfield lengths against the count, and
     * the kept availability is checked against it (a bitfield of the wrong length or with spare bits
     * set closes the connection as misbehaving) and delivered to the listener as one BITFIELD or
     * HAVE_ALL, before any message read after it. Nothing changes if the count is known already.
     * Callable from any thread.
     *
     * @throws IllegalArgumentException if {@code pieceCount} is not positive
     */
    void pieceCount(int pieceCount);

    /** Stops (false) or resumes (true) reading from the peer: back-pressure from the disk. */
    void setReading(boolean reading);

    /**
     * False while more than the channel's write high-water mark waits to go out: the uploader should
     * hold further blocks until {@link PeerListener#onWritabilityChanged} says true again.
     */
    boolean isWritable();

    TransferStats stats();

    /** Whether the connection is RC4, plaintext after an MSE handshake, or plaintext. */
    default PeerEncryption encryption() {
        return PeerEncryption.PLAINTEXT;
    }

    boolean isOpen();

    /** Closes the connection; the listener hears {@code onClosed} with this reason. */
    void close(CloseReason reason);
}
