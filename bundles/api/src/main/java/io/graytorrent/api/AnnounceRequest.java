package io.graytorrent.api;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One announce to one tracker.
 *
 * @param tracker    the announce URL
 * @param peerId     our 20-byte peer id
 * @param port       our listening port
 * @param numWant    peers wanted; -1 lets the tracker choose
 * @param key        BEP 3 {@code key}: stays the same for the torrent's life, so trackers know us across IP changes
 * @param trackerId  the {@code tracker id} this tracker gave in an earlier reply
 */
public record AnnounceRequest(URI tracker, InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded,
        long left, AnnounceEvent event, int numWant, int key, Optional<String> trackerId) {

    public AnnounceRequest {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(trackerId, "trackerId");
        if (peerId.length != 20) {
            throw new IllegalArgumentException("a peer id has 20 bytes, not " + peerId.length);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }
}
