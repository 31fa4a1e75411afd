package io.graytorrent.core.internal;

import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.TorrentEndpoint;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing side of one torrent's peer set: the candidate addresses (given at add or by
 * {@code connect}), dialled within the torrent's and the engine's connection limits, skipping banned
 * addresses and ourselves (as far as the engine knows: a dial that reaches us teaches it), and
 * retried with exponential back-off (1 s doubling to 60 s) after a failed dial or a closed
 * connection. Owned by the torrent's executor.
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    private static final long MAX_RETRY_MILLIS = 60_000;

    private final Engine engine;
    private final TorrentEndpoint endpoint;
    private final Executor executor;
    private final Set<InetSocketAddress> candidates = new LinkedHashSet<>();
    private final Set<InetSocketAddress> connecting = new HashSet<>();
    private final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    private final Map<InetSocketAddress, Long> retryAt = new HashMap<>();
    /** How the last dial of each candidate failed, until it connects: what a stalled torrent reports. */
    private final Map<InetSocketAddress, PeerConnectException.Reason> lastFailure = new HashMap<>();

    Connector(Engine engine, TorrentEndpoint endpoint, Executor executor, Collection<InetSocketAddress> candidates) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.executor = executor;
        this.candidates.addAll(candidates);
    }

    /** Adds a candidate (or forgives a known one its failures); true if it is new. */
    boolean add(InetSocketAddress candidate) {
        failures.remove(candidate);
        retryAt.remove(candidate);
        return candidates.add(candidate);
    }

    List<InetSocketAddress> candidates() {
        return List.copyOf(candidates);
    }

    void connected(InetSocketAddress address) {
        failures.remove(address);
        lastFailure.remove(address);
    }

    /** How many candidates' last dial failed, by reason. */
    Map<PeerConnectException.Reason, Integer> dialFailures() {
        Map<PeerConnectException.Reason, Integer> counts = new HashMap<>();
        lastFailure.forEach((address, reason) -> counts.merge(reason, 1, Integer::sum));
        return counts;
    }

    /** A dial failed or an outgoing connection ended: wait longer before the next try. */
    void backOff(InetSocketAddress address) {
        int count = failures.merge(address, 1, Integer::sum);
        retryAt.put(address, System.currentTimeMillis() + Math.min(MAX_RETRY_MILLIS, 1000L << Math.min(count, 16)));
    }

    /** Dials the candidates that are due, while the limits leave room; {@code peers} are the connected ones. */
    void dial(Collection<Peer> peers) {
        long now = System.currentTimeMillis();
        int limit = engine.settings().maxConnectionsPerTorrent();
        for (InetSocketAddress candidate : candidates) {
            if (peers.size() + connecting.size() >= limit || !engine.hasConnectionRoom()) {
                return;
            }
            boolean connected = peers.stream().anyMatch(peer -> peer.address.equals(candidate));
            if (connected || connecting.contains(candidate) || retryAt.getOrDefault(candidate, 0L) > now
                    || candidate.isUnresolved() || engine.isBanned(candidate.getAddress())
                    || engine.isOurself(candidate)) {
                continue;
            }
            connecting.add(candidate);
            engine.wire().connect(candidate, endpoint).whenComplete((connection, failure) -> executor.execute(() -> {
                connecting.remove(candidate);
                if (failure != null) {
                    dialFailed(candidate, failure);
                }
            }));
        }
    }

    private void dialFailed(InetSocketAddress candidate, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        PeerConnectException.Reason reason = cause instanceof PeerConnectException e ? e.reason()
                : PeerConnectException.Reason.OTHER;
        LOG.debug("dialling {}: {} ({})", candidate, cause.getMessage(), reason);
        if (reason == PeerConnectException.Reason.OURSELVES) {
            engine.dialledOurselves(candidate); // never dialled again: no back-off to keep
            return;
        }
        if (reason != PeerConnectException.Reason.LIMIT && candidates.contains(candidate)) {
            lastFailure.put(candidate, reason);
        }
        backOff(candidate);
    }
}
