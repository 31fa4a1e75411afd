package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerConnection;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer exchange (BEP 11) as the {@code ut_pex} extension and a {@link PeerSource} of origin
 * {@link PeerOrigin#PEX}. It works only for torrents the engine told it of, which are never private
 * ones (BEP 27); it is not even announced on a private torrent's connections. Peers learnt from a
 * message are handed to the torrent as candidates; {@link #tick()} sends what is due. Thread-safe:
 * the extension calls come from the connections' event loops, ticks from a timer.
 */
public final class PeerExchange implements ExtensionMessageHandler, PeerSource {
    public static final String NAME = "ut_pex";
    private static final Logger LOG = LoggerFactory.getLogger(PeerExchange.class);

    private final LongSupplier millis;
    private final AddressCheck addresses;
    private final Map<InfoHash, Torrent> running = new ConcurrentHashMap<>();

    /** How many candidates' tellers a torrent remembers, the oldest forgotten first. */
    static final int MAX_TELLERS = 2048;

    private record Torrent(PexSwarm swarm, Consumer<InetSocketAddress> found, Map<InetSocketAddress, PeerConnection> tellers) {
        Torrent(PexSwarm swarm, Consumer<InetSocketAddress> found) {
            this(swarm, found, Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, PeerConnection> eldest) {
                    return size() > MAX_TELLERS;
                }
            }));
        }
    }

    /** {@code millis} is the clock; {@code ours} says whether an address reaches our own listener. */
    public PeerExchange(LongSupplier millis, Predicate<InetSocketAddress> ours) {
        this.millis = millis;
        this.addresses = new AddressCheck(ours);
    }

    // ---- PeerSource ----

    @Override
    public PeerOrigin origin() {
        return PeerOrigin.PEX;
    }

    @Override
    public void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
        if (!torrent.privateTorrent()) {
            running.compute(torrent.infoHash(), (infoHash, known) ->
                    known != null ? new Torrent(known.swarm(), found, known.tellers()) : new Torrent(new PexSwarm(), found));
        }
    }

    @Override
    public void stop(InfoHash infoHash) {
        running.remove(infoHash);
    }

    // ---- ExtensionMessageHandler ----

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean announcedTo(PeerConnection peer) {
        return !peer.privateTorrent();
    }

    @Override
    public void onHandshake(PeerConnection peer, ExtensionHandshake handshake) {
        Torrent torrent = torrentOf(peer);
        if (torrent != null) {
            torrent.swarm().joined(peer, handshake, millis.getAsLong());
        }
    }

    @Override
    public void onMessage(PeerConnection peer, byte[] payload) {
        Torrent torrent = torrentOf(peer);
        if (torrent == null) {
            return;
        }
        PexMessage message;
        try {
            torrent.swarm().received(peer, millis.getAsLong());
            message = PexMessage.decode(payload);
        } catch (PexProtocolException e) {
            peer.close(CloseReason.misbehaviour(e.getMessage()));
            return;
        }
        for (PexPeer candidate : message.added()) {
            if (addresses.acceptable(candidate.address(), peer.remoteAddress())) {
                torrent.tellers().put(candidate.address(), peer);
                torrent.found().accept(candidate.address());
            }
        }
    }

    @Override
    public void onClosed(PeerConnection peer) {
        Torrent torrent = running.get(peer.infoHash());
        if (torrent != null) {
            torrent.swarm().left(peer);
            torrent.tellers().values().removeIf(peer::equals);
        }
    }

    /** The open connection whose PEX message last named {@code candidate}, or null: a holepunch relay. */
    public PeerConnection toldBy(InfoHash infoHash, InetSocketAddress candidate) {
        Torrent torrent = running.get(infoHash);
        PeerConnection teller = torrent == null ? null : torrent.tellers().get(candidate);
        return teller != null && teller.isOpen() ? teller : null;
    }

    /** Sends every message that is due. */
    public void tick() {
        long now = millis.getAsLong();
        for (Torrent torrent : running.values()) {
            torrent.swarm().due(now).forEach((peer, message) -> {
                if (!peer.sendExtended(NAME, message.encode())) {
                    LOG.debug("{}: ut_pex not announced by the peer after all", peer);
                }
            });
        }
    }

    /** The torrent, if the engine told us of it and it is not private. */
    private Torrent torrentOf(PeerConnection peer) {
        return peer.privateTorrent() ? null : running.get(peer.infoHash());
    }
}
