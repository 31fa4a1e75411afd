package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import java.net.InetSocketAddress;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An extension of the BEP 10 extension protocol (ut_metadata, ut_pex, upload_only, …), registered as
 * an OSGi service (the peer wire picks these up as they come and go) or directly with an
 * {@link ExtensionRegistry}, which assigns it a local message id. Each connection announces, under
 * {@link #name()}, the extensions registered when its extension handshake is sent that say yes to
 * {@link #announcedTo} it; the peer wire service announces one registered later on its open
 * connections in a further handshake, and the newcomer then hears the peer's handshake if it came. A plugin reaches
 * the connection through the {@link PeerConnection} each call passes: its torrent
 * ({@link PeerConnection#infoHash()}, {@link PeerConnection#privateTorrent()}), the peer, and
 * {@link PeerConnection#sendExtended} for its own messages, callable from any thread.
 *
 * <p>Every method is called on the connection's Netty event loop: return quickly, never block,
 * never touch the disk.
 */
@ConsumerType
public interface ExtensionMessageHandler {

    /** The name in the handshake's {@code m} dictionary, e.g. {@code "ut_metadata"}. */
    String name();

    /**
     * Whether to announce this extension on {@code peer}'s connection, asked as each of our extension
     * handshakes to it is built: false leaves it out of the {@code m} dictionary, and it hears nothing
     * of the connection. PEX says false for private torrents.
     */
    default boolean announcedTo(PeerConnection peer) {
        return true;
    }

    /**
     * Adds this extension's fields (such as {@code metadata_size}) to the extension handshake about
     * to be sent to {@code peer}. Values are bencodable: byte[], String, integral numbers, lists,
     * maps. The keys {@code m}, {@code v}, {@code p}, {@code reqq} and {@code yourip} are ours.
     */
    default void contributeHandshake(PeerConnection peer, Map<String, Object> fields) {
    }

    /** The peer's extension handshake arrived, whether or not it supports this extension. */
    default void onHandshake(PeerConnection peer, ExtensionHandshake handshake) {
    }

    /** A message for this extension arrived: the payload after the extended message id. */
    void onMessage(PeerConnection peer, byte[] payload);

    /** The connection closed; drop what was kept about the peer. */
    default void onClosed(PeerConnection peer) {
    }

    /**
     * A dial of {@code address} for the torrent {@code infoHash} through {@link PeerWire#connect} failed
     * on every transport it tried, the peer unreachable or its handshake failed (not for our own
     * half-open limit, nor because it reached ourselves): a holepunch (BEP 55) may get through.
     * Unlike the other methods it may be called on any thread; it must not block either.
     */
    default void onDialFailed(InfoHash infoHash, InetSocketAddress address) {
    }
}
