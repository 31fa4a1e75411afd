package io.graytorrent.core.internal.connect;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.peer.BanList;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every peer connection passes, whatever phase its torrent is in and whichever
 * transport or pre-handshake stage carried it: the IP blocklist (checked for every candidate, whichever
 * source found it, and for every accepted connection before a byte is read), banned addresses, ourselves, the engine-wide
 * connection limit, the torrent's own limit and one connection per peer id. Thread-safe; each
 * torrent holds a {@link Gate} of its own.
 */
public final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final Supplier<EngineSettings> settings;
    private final BanList bans;
    private final Supplier<PeerId> ourPeerId;
    private final OwnAddresses ownAddresses;
    private final AtomicInteger connections = new AtomicInteger();
    /** The blocklist service while one is configured, else null. */
    private volatile BlocklistService blocklist;

    /** {@code ownAddresses}: where we ourselves listen, not to be dialled; it learns from dials that reach us. */
    public Admission(Supplier<EngineSettings> settings, BanList bans, Supplier<PeerId> ourPeerId,
            OwnAddresses ownAddresses) {
        this.settings = settings;
        this.bans = bans;
        this.ourPeerId = ourPeerId;
        this.ownAddresses = ownAddresses;
    }

    public boolean isBanned(InetAddress address) {
        return address != null && bans.isBanned(address);
    }

    /** The IP blocklist from now on; null for none. */
    public void setBlocklist(BlocklistService blocklist) {
        this.blocklist = blocklist;
    }

    /** Whether {@code address} is on the blocklist; counts nothing. */
    public boolean isBlocked(InetAddress address) {
        BlocklistService list = blocklist;
        return list != null && address != null && list.blocks(address);
    }

    /**
     * Whether a peer at {@code address} (a candidate learnt of, or a connection just accepted) may go on;
     * one on the blocklist is counted as refused.
     */
    public boolean admits(InetAddress address) {
        BlocklistService list = blocklist;
        if (list != null && address != null && list.blocks(address)) {
            list.refused(address);
            return false;
        }
        return true;
    }

    /** Whether an outgoing connection to {@code candidate} may be tried at all (room aside). */
    public boolean mayDial(InetSocketAddress candidate) {
        return !candidate.isUnresolved() && !isBanned(candidate.getAddress()) && !isBlocked(candidate.getAddress())
                && !ownAddresses.contains(candidate);
    }

    /** Our address as {@code peer} would see it, if known (BEP 40). */
    public InetSocketAddress ourAddressTowards(InetSocketAddress peer) {
        return ownAddresses.ourAddressTowards(peer);
    }

    /** A dial of {@code candidate} came back to us: it is never dialled again while the engine runs. */
    public void dialledOurselves(InetSocketAddress candidate) {
        LOG.debug("{} is ourselves: not dialling it again", candidate);
        ownAddresses.dialledOurselves(candidate);
    }

    /** Whether the engine-wide limit leaves room for one more connection. */
    public boolean hasRoom() {
        return connections.get() < settings.get().maxConnections();
    }

    public int perTorrentLimit() {
        return settings.get().maxConnectionsPerTorrent();
    }

    /** Connections admitted and not yet closed, engine-wide. */
    public int connections() {
        return connections.get();
    }

    public Gate gate() {
        return new Gate();
    }

    /** One torrent's side of the gate: which of its connections hold a place in the engine-wide count. */
    public final class Gate {
        private final Set<PeerConnection> admitted = ConcurrentHashMap.newKeySet();

        private Gate() {
        }

        /**
         * As a handshake completes, on its event loop: refuses (closing the connection) a torrent that
         * is not running, an address on the blocklist, a banned address, ourselves and a connection past the engine-wide limit.
         * An admitted connection holds its place until {@link #closed}.
         */
        public boolean admit(PeerConnection connection, boolean running) {
            InetAddress remote = connection.remoteAddress().getAddress();
            String refusal = !running ? "torrent not running"
                    : !admits(remote) ? "on the blocklist"
                    : isBanned(remote) ? "banned address"
                    : ourPeerId.get().equals(connection.remotePeerId()) ? "connected to ourself"
                    : !takePlace() ? "global connection limit reached"
                    : null;
            if (refusal != null) {
                connection.close(CloseReason.normal(refusal));
                return false;
            }
            admitted.add(connection);
            return true;
        }

        private boolean takePlace() {
            int max = settings.get().maxConnections();
            return connections.getAndUpdate(n -> n < max ? n + 1 : n) < max;
        }

        /**
         * On the torrent's executor, before an admitted connection joins {@code connected} (the
         * torrent's peers): refuses (closing it) a closed connection, one past the torrent's limit and
         * a second connection from a peer id already connected.
         */
        public boolean join(PeerConnection connection, Collection<PeerConnection> connected) {
            boolean duplicate = connected.stream().anyMatch(other -> other.remotePeerId().equals(connection.remotePeerId()));
            String refusal = !connection.isOpen() ? "connection closed"
                    : duplicate ? "already connected to this peer"
                    : connected.size() >= perTorrentLimit() ? "no room for the peer"
                    : null;
            if (refusal != null) {
                connection.close(CloseReason.normal(refusal));
                return false;
            }
            return true;
        }

        /** The connection closed (on any thread): its place in the engine-wide count is free again. */
        public void closed(PeerConnection connection) {
            if (admitted.remove(connection)) {
                connections.decrementAndGet();
            }
        }
    }
}
