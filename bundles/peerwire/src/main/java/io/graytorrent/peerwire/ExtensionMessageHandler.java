package io.graytorrent.peerwire;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An extension of the BEP 10 extension protocol (ut_metadata, ut_pex, …), registered as an OSGi
 * service or directly with an {@link ExtensionRegistry}, which assigns it a local message id and
 * announces it under {@link #name()} in every extension handshake we send.
 *
 * <p>Every method is called on the connection's Netty event loop: return quickly, never block,
 * never touch the disk.
 */
@ConsumerType
public interface ExtensionMessageHandler {

    /** The name in the handshake's {@code m} dictionary, e.g. {@code "ut_metadata"}. */
    String name();

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
}
