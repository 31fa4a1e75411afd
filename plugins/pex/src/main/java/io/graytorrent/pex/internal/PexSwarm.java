package io.graytorrent.pex.internal;

import io.graytorrent.bencode.BInteger;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerEncryption;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One torrent's peer exchange: its connected peers, what each was told, and how often each spoke.
 * Each peer that speaks ut_pex hears, at most once a {@link #INTERVAL_MILLIS minute}, which peers
 * joined (at most {@link #MAX_LISTED} a message) and left since its last message; a peer that sends
 * more than {@link #MAX_RECEIVED} messages within a minute is refused. Thread-safe.
 */
final class PexSwarm {
    static final String UTP = "utp";
    static final long INTERVAL_MILLIS = 60_000;
    /** BEP 11: at most 50 added peers a message; dropped ones are held to the same bound. */
    static final int MAX_LISTED = 50;
    /** BEP 11 allows one a minute; the second leaves room for timer jitter. */
    static final int MAX_RECEIVED = 2;

    private final Map<PeerConnection, Member> members = new LinkedHashMap<>();

    private static final class Member {
        /** How others may reach this peer, or null when it accepts no connections we know of. */
        PexPeer advertised;
        boolean speaksPex;
        long nextSendMillis;
        final Set<InetSocketAddress> told = new LinkedHashSet<>();
        final Deque<Long> received = new ArrayDeque<>();
    }

    /** The peer's extension handshake arrived (again): it is a member, reachable as it said. */
    synchronized void joined(PeerConnection peer, ExtensionHandshake handshake, long nowMillis) {
        Member member = members.computeIfAbsent(peer, p -> {
            Member fresh = new Member();
            fresh.nextSendMillis = nowMillis; // the first message goes out at the next tick
            return fresh;
        });
        member.speaksPex = handshake.messageIds().containsKey(PeerExchange.NAME);
        member.advertised = advertised(peer, handshake);
    }

    synchronized void left(PeerConnection peer) {
        members.remove(peer);
    }

    synchronized boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * Counts a message from {@code peer}.
     *
     * @throws PexProtocolException if it is one too many within a minute
     */
    synchronized void received(PeerConnection peer, long nowMillis) {
        Member member = members.get(peer);
        if (member == null) {
            throw new PexProtocolException("ut_pex message before the extension handshake");
        }
        while (!member.received.isEmpty() && member.received.peekFirst() <= nowMillis - INTERVAL_MILLIS) {
            member.received.removeFirst();
        }
        if (member.received.size() >= MAX_RECEIVED) {
            throw new PexProtocolException("more than " + MAX_RECEIVED + " ut_pex messages within a minute");
        }
        member.received.addLast(nowMillis);
    }

    /** The message each peer is due now, for peers whose minute is up and to whom something changed. */
    synchronized Map<PeerConnection, PexMessage> due(long nowMillis) {
        Map<PeerConnection, PexMessage> due = new LinkedHashMap<>();
        for (Map.Entry<PeerConnection, Member> entry : members.entrySet()) {
            Member to = entry.getValue();
            if (!to.speaksPex || nowMillis < to.nextSendMillis) {
                continue;
            }
            PexMessage message = changesFor(entry.getKey(), to);
            if (!message.isEmpty()) {
                due.put(entry.getKey(), message);
                to.nextSendMillis = nowMillis + INTERVAL_MILLIS;
            }
        }
        return due;
    }

    /** What {@code to} has not heard yet, recorded as told. */
    private PexMessage changesFor(PeerConnection recipient, Member to) {
        Map<InetSocketAddress, PexPeer> current = new LinkedHashMap<>();
        members.forEach((peer, member) -> {
            if (peer != recipient && member.advertised != null) {
                current.put(member.advertised.address(), member.advertised);
            }
        });
        if (to.advertised != null) {
            current.remove(to.advertised.address());
        }
        List<PexPeer> added = new ArrayList<>();
        for (PexPeer peer : current.values()) {
            if (added.size() < MAX_LISTED && to.told.add(peer.address())) {
                added.add(peer);
            }
        }
        List<InetSocketAddress> dropped = new ArrayList<>();
        for (InetSocketAddress address : List.copyOf(to.told)) {
            if (dropped.size() < MAX_LISTED && !current.containsKey(address)) {
                dropped.add(address);
                to.told.remove(address);
            }
        }
        return new PexMessage(added, dropped);
    }

    /**
     * A peer we dialled listens where we reached it; one that dialled us where its handshake's
     * {@code p} says, if it says.
     */
    private static PexPeer advertised(PeerConnection peer, ExtensionHandshake handshake) {
        InetSocketAddress remote = peer.remoteAddress();
        InetSocketAddress listening;
        if (peer.outgoing()) {
            listening = remote;
        } else if (handshake.listenPort().isPresent()) {
            listening = new InetSocketAddress(remote.getAddress(), handshake.listenPort().getAsInt());
        } else {
            return null;
        }
        int flags = (peer.encryption() != PeerEncryption.PLAINTEXT ? PexPeer.ENCRYPTION : 0)
                | (uploadOnly(handshake) ? PexPeer.SEED : 0)
                | (Objects.equals(peer.transport(), UTP) ? PexPeer.UTP : 0)
                // libtorrent asks a relay only for peers it was told of with this flag
                | (handshake.messageIds().containsKey(Holepunch.NAME) ? PexPeer.HOLEPUNCH : 0)
                | (peer.outgoing() ? PexPeer.REACHABLE : 0);
        return new PexPeer(listening, flags);
    }

    private static boolean uploadOnly(ExtensionHandshake handshake) {
        return handshake.fields().get("upload_only").orElse(null) instanceof BInteger flag && flag.value() != 0;
    }
}
