package io.graytorrent.core.internal.metadata;

import io.graytorrent.peerwire.PeerConnection;
import java.util.Optional;

/**
 * A torrent as the metadata exchange sees it: one that has its info dictionary to serve, or one
 * that fetches it. Called on Netty event loops: return at once, hop elsewhere for real work.
 */
public interface MetadataParticipant {

    /** The info dictionary's exact bytes once the torrent has them. */
    Optional<byte[]> metadata();

    /** The peer's extension handshake offers ut_metadata of {@code metadataSize} bytes. */
    default void peerOffers(PeerConnection peer, long metadataSize) {
    }

    /** A data or reject message from the peer. */
    default void received(PeerConnection peer, MetadataMessage message) {
    }

    /** A participant that only serves {@code info}. */
    static MetadataParticipant serving(byte[] info) {
        Optional<byte[]> metadata = Optional.of(info);
        return () -> metadata;
    }
}
