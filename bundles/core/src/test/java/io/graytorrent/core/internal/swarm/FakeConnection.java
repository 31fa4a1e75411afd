package io.graytorrent.core.internal.swarm;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.TransferStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connection without a socket: it records what is sent, the piece count it was told, whether it
 * reads and how it closed; rates, direction and the peer's extension handshake are set by the test.
 */
public final class FakeConnection implements PeerConnection {
    final InetSocketAddress address;
    public PeerId peerId = PeerId.generate();
    final Capabilities capabilities;
    /** Thread-safe: uploads send from a disk thread. */
    final List<PeerMessage> sent = new CopyOnWriteArrayList<>();
    /** Extension messages sent, by the extension's name. */
    public final List<Map.Entry<String, byte[]>> sentExtended = new ArrayList<>();
    public CloseReason closed;
    public long downloadRate;
    long uploadRate;
    public boolean outgoing = true;
    public ExtensionHandshake extensionHandshake;
    /** What {@link #pieceCount(int)} said; 0 until it is called. */
    public int pieceCount;
    public volatile boolean reading = true;
    /** The infohash its handshake named, for whoever asks (hash requests go to v2 connections only); null: nobody may. */
    public InfoHash handshakeInfoHash;

    public FakeConnection(InetSocketAddress address, Capabilities capabilities) {
        this.address = address;
        this.capabilities = capabilities;
    }

    /** Forgets what was sent so far. */
    public void clearSent() {
        sent.clear();
    }

    /** The messages of one type sent so far. */
    public <M extends PeerMessage> List<M> sent(Class<M> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public InfoHash infoHash() {
        throw new UnsupportedOperationException("the swarm does not ask");
    }

    @Override
    public InfoHash handshakeInfoHash() {
        if (handshakeInfoHash == null) {
            throw new UnsupportedOperationException("the test did not say which infohash it connected under");
        }
        return handshakeInfoHash;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return address;
    }

    @Override
    public PeerId remotePeerId() {
        return peerId;
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    @Override
    public Capabilities negotiated() {
        return capabilities;
    }

    @Override
    public Optional<ExtensionHandshake> remoteExtensionHandshake() {
        return Optional.ofNullable(extensionHandshake);
    }

    @Override
    public void send(PeerMessage message) {
        sent.add(message);
    }

    @Override
    public void send(PeerMessage message, Runnable whenDone) {
        sent.add(message);
        if (whenDone != null) { // null for a block that is not its run's last
            whenDone.run();
        }
    }

    @Override
    public boolean sendExtended(String extensionName, byte[] payload) {
        if (extensionHandshake == null || !extensionHandshake.messageIds().containsKey(extensionName)) {
            return false;
        }
        sentExtended.add(Map.entry(extensionName, payload));
        return true;
    }

    @Override
    public void pieceCount(int pieceCount) {
        this.pieceCount = pieceCount;
    }

    @Override
    public void setReading(boolean reading) {
        this.reading = reading;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public TransferStats stats() {
        return new TransferStats() {
            @Override
            public long bytesDownloaded() {
                return 0;
            }

            @Override
            public long bytesUploaded() {
                return 0;
            }

            @Override
            public long payloadDownloaded() {
                return 0;
            }

            @Override
            public long payloadUploaded() {
                return 0;
            }

            @Override
            public long downloadRate() {
                return downloadRate;
            }

            @Override
            public long uploadRate() {
                return uploadRate;
            }
        };
    }

    @Override
    public boolean isOpen() {
        return closed == null;
    }

    @Override
    public void close(CloseReason reason) {
        if (closed == null) {
            closed = reason;
        }
    }
}
