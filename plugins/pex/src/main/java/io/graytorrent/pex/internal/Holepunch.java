package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holepunch extension (BEP 55) as {@code ut_holepunch}, both roles.
 *
 * <p>As a relay: a rendezvous from peer A for endpoint B, B being one of the same torrent's peers that
 * speaks ut_holepunch, sends B a connect naming A and A a connect naming B; otherwise A hears the
 * BEP's error (NoSelf for our own address, NoSuchPeer for no address at all or A's own, NotConnected,
 * NoSupport). As an initiator: when a dial of a peer fails on every transport, the peer that told
 * us of it by PEX ({@code toldBy}) is asked to rendezvous, if it speaks ut_holepunch; a connect from
 * a peer has us dial the endpoint over uTP at once ({@code dialUtp}), unless we are connected to it.
 *
 * <p>Bounds: a peer that did not announce ut_holepunch is ignored, as the BEP says; a malformed
 * message closes the connection; each peer's messages past {@link #MAX_RECEIVED} a minute are
 * dropped (a relay could otherwise be made to flood, and a connect to dial anything); we ask for a
 * given target at most once a minute, and hold at most {@link #MAX_ASKED} such targets. Not on
 * private torrents. Thread-safe: calls come from event loops and the peer wire's dial completions.
 */
public final class Holepunch implements ExtensionMessageHandler {
    public static final String NAME = "ut_holepunch";
    static final long WINDOW_MILLIS = 60_000;
    static final int MAX_RECEIVED = 20;
    static final int MAX_ASKED = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Holepunch.class);

    private final LongSupplier millis;
    private final Predicate<InetSocketAddress> ours;
    private final BiFunction<InfoHash, InetSocketAddress, PeerConnection> toldBy;
    private final BiConsumer<InfoHash, InetSocketAddress> dialUtp;
    private final Map<PeerConnection, Member> members = new LinkedHashMap<>();
    /** Targets we asked a relay for, with when: at most one rendezvous a target a minute. */
    private final Map<InetSocketAddress, Long> asked = new LinkedHashMap<>();

    private static final class Member {
        boolean speaksHolepunch;
        /** Where others may dial it: where we reached it, or its address with its handshake's {@code p}. */
        InetSocketAddress listening;
        final Deque<Long> received = new ArrayDeque<>();
    }

    /**
     * @param ours    whether an address reaches our own listener
     * @param toldBy  the open connection that told us of a peer by PEX, or null
     * @param dialUtp dials a torrent's peer over uTP alone; must not block
     */
    public Holepunch(LongSupplier millis, Predicate<InetSocketAddress> ours,
            BiFunction<InfoHash, InetSocketAddress, PeerConnection> toldBy, BiConsumer<InfoHash, InetSocketAddress> dialUtp) {
        this.millis = millis;
        this.ours = ours;
        this.toldBy = toldBy;
        this.dialUtp = dialUtp;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean announcedTo(PeerConnection peer) {
        return !peer.privateTorrent();
    }

    @Override
    public synchronized void onHandshake(PeerConnection peer, ExtensionHandshake handshake) {
        Member member = members.computeIfAbsent(peer, p -> new Member());
        member.speaksHolepunch = handshake.messageIds().containsKey(NAME);
        InetSocketAddress remote = peer.remoteAddress();
        member.listening = peer.outgoing() || handshake.listenPort().isEmpty() ? remote
                : new InetSocketAddress(remote.getAddress(), handshake.listenPort().getAsInt());
    }

    @Override
    public synchronized void onClosed(PeerConnection peer) {
        members.remove(peer);
    }

    @Override
    public void onMessage(PeerConnection peer, byte[] payload) {
        HolepunchMessage message;
        synchronized (this) {
            Member member = members.get(peer);
            if (peer.privateTorrent() || member == null || !member.speaksHolepunch || !withinRate(member)) {
                return;
            }
            try {
                message = HolepunchMessage.decode(payload);
            } catch (PexProtocolException e) {
                peer.close(CloseReason.misbehaviour(e.getMessage()));
                return;
            }
            if (message.type() == HolepunchMessage.Type.RENDEZVOUS) {
                relay(peer, member, message.endpoint());
                return;
            }
            if (message.type() == HolepunchMessage.Type.ERROR) {
                LOG.debug("{} cannot rendezvous with {}: error {}", peer, message.endpoint(), message.errorCode());
                return;
            }
            if (!dialable(message.endpoint()) || connectedTo(peer.infoHash(), message.endpoint())) {
                return; // the BEP: ignored silently, never answered with an error
            }
        }
        LOG.debug("{} says connect to {}: dialling over uTP", peer, message.endpoint());
        dialUtp.accept(peer.infoHash(), message.endpoint());
    }

    /**
     * A dial of {@code target} failed on every transport: if a peer told us of it and speaks
     * ut_holepunch, it is asked to rendezvous. True if asked.
     */
    public boolean askRelay(InfoHash infoHash, InetSocketAddress target) {
        PeerConnection relay = toldBy.apply(infoHash, target);
        if (relay == null || !relay.isOpen()) {
            return false;
        }
        synchronized (this) {
            Member member = members.get(relay);
            long now = millis.getAsLong();
            asked.values().removeIf(at -> at <= now - WINDOW_MILLIS);
            if (member == null || !member.speaksHolepunch || asked.containsKey(target) || asked.size() >= MAX_ASKED) {
                return false;
            }
            asked.put(target, now);
        }
        LOG.debug("asking {} to rendezvous with {}", relay, target);
        return relay.sendExtended(NAME, HolepunchMessage.rendezvous(target).encode());
    }

    @Override
    public void onDialFailed(InfoHash infoHash, InetSocketAddress address) {
        askRelay(infoHash, address);
    }

    private void relay(PeerConnection initiator, Member from, InetSocketAddress target) {
        int error = 0;
        PeerConnection found = null;
        if (ours.test(target)) {
            error = HolepunchMessage.NO_SELF;
        } else if (!dialable(target) || target.equals(from.listening) || target.equals(initiator.remoteAddress())) {
            error = HolepunchMessage.NO_SUCH_PEER;
        } else {
            found = peerAt(initiator.infoHash(), target);
            if (found == null) {
                error = HolepunchMessage.NOT_CONNECTED;
            } else if (!members.get(found).speaksHolepunch) {
                error = HolepunchMessage.NO_SUPPORT;
            }
        }
        if (error != 0) {
            initiator.sendExtended(NAME, HolepunchMessage.error(target, error).encode());
            return;
        }
        found.sendExtended(NAME, HolepunchMessage.connect(from.listening).encode());
        initiator.sendExtended(NAME, HolepunchMessage.connect(members.get(found).listening).encode());
    }

    /** The torrent's connection whose address or listen address is {@code endpoint}, or null. */
    private PeerConnection peerAt(InfoHash infoHash, InetSocketAddress endpoint) {
        for (Map.Entry<PeerConnection, Member> entry : members.entrySet()) {
            PeerConnection peer = entry.getKey();
            if (peer.infoHash().equals(infoHash) && peer.isOpen()
                    && (endpoint.equals(peer.remoteAddress()) || endpoint.equals(entry.getValue().listening))) {
                return peer;
            }
        }
        return null;
    }

    private boolean connectedTo(InfoHash infoHash, InetSocketAddress endpoint) {
        return peerAt(infoHash, endpoint) != null;
    }

    private boolean dialable(InetSocketAddress endpoint) {
        InetAddress ip = endpoint.getAddress();
        return endpoint.getPort() != 0 && !ip.isAnyLocalAddress() && !ip.isMulticastAddress() && !ours.test(endpoint);
    }

    private boolean withinRate(Member member) {
        long now = millis.getAsLong();
        while (!member.received.isEmpty() && member.received.peekFirst() <= now - WINDOW_MILLIS) {
            member.received.removeFirst();
        }
        if (member.received.size() >= MAX_RECEIVED) {
            return false;
        }
        member.received.addLast(now);
        return true;
    }
}
