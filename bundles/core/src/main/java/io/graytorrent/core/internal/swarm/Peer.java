package io.graytorrent.core.internal.swarm;

import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.peerwire.TransferStats;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerEncryption;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * One connected peer as its torrent sees it. Owned by the torrent's executor: no field is touched
 * from another thread.
 */
public final class Peer {
    /** The uTP plugin's transport name, shown as libtorrent shows uTP connections: flag P. */
    private static final String UTP = "utp";
    public final PeerConnection connection;
    public final InetSocketAddress address;
    public final PeerOrigin origin;
    public final BitSet pieces = new BitSet();
    /** Pieces the peer lets us request while it chokes us (BEP 6). */
    final Set<Integer> allowedFastFromPeer = new HashSet<>();
    /** Pieces we serve to it while we choke it. */
    final Set<Integer> allowedFastToPeer = new HashSet<>();
    final Uploads.Queue uploads = new Uploads.Queue();

    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    boolean optimistic;
    boolean snubbed;
    long lastBlockMillis;
    /** Requested blocks received from the peer. */
    long blocksReceived;
    int unrequestedBlocks;

    public Peer(PeerConnection connection, PeerOrigin origin, long nowMillis) {
        this.connection = connection;
        this.address = connection.remoteAddress();
        this.origin = origin;
        this.lastBlockMillis = nowMillis;
    }

    /**
     * What users see of the peer; {@code progress} is the share of pieces it has (0 before the metadata).
     * Read at each publication: the extension handshake with the peer's name may come late.
     */
    public PeerStatus status(double progress) {
        TransferStats stats = connection.stats();
        return new PeerStatus(address, ClientNames.of(connection), connection.outgoing(), progress,
                stats.downloadRate(), stats.uploadRate(), stats.payloadDownloaded(), stats.payloadUploaded(), flags(),
                connection.encryption().label(), origin);
    }

    public boolean isSeed(int pieceCount) {
        return pieces.cardinality() == pieceCount;
    }

    /** Whether the peer chokes us (read by the session's stall diagnosis). */
    public boolean peerChoking() {
        return peerChoking;
    }

    public boolean fast() {
        return connection.negotiated().fast();
    }

    /** libtorrent-style flags for {@link io.graytorrent.api.PeerStatus}. */
    public String flags() {
        StringBuilder flags = new StringBuilder();
        if (amInterested) {
            flags.append(peerChoking ? 'd' : 'D');
        }
        if (peerInterested) {
            flags.append(amChoking ? 'u' : 'U');
        }
        if (optimistic) {
            flags.append('O');
        }
        if (snubbed) {
            flags.append('S');
        }
        if (connection.encryption() != PeerEncryption.PLAINTEXT) {
            flags.append(connection.encryption() == PeerEncryption.RC4 ? 'E' : 'e');
        }
        if (fast()) {
            flags.append('F');
        }
        if (connection.negotiated().extensionProtocol()) {
            flags.append('X');
        }
        if (!connection.outgoing()) {
            flags.append('I');
        }
        if (UTP.equals(connection.transport())) {
            flags.append('P');
        }
        return flags.toString();
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
