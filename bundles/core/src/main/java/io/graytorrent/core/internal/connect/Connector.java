package io.graytorrent.core.internal.connect;

import io.graytorrent.core.internal.swarm.Peer;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.util.Completions;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.TorrentEndpoint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing side of one torrent's peer set: the candidate addresses (given at add or by
 * {@code connect}), dialled within the torrent's and the engine's connection limits, skipping what
 * the {@link Admission} would refuse (banned addresses, ourselves as far as the engine knows: a dial
 * that reaches us teaches it), and retried with exponential back-off (1 s doubling to 60 s) after a
 * failed dial or a closed connection; more due than free slots are dialled in BEP 40's canonical
 * priority order. Each candidate keeps
 * the origin it was first learnt from. Owned by the torrent's executor.
 */
public final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    private static final long MAX_RETRY_MILLIS = 60_000;

    private final Admission admission;
    private final PeerWire wire;
    private final Clock clock;
    /** Read at each dial: a magnet link's endpoint is replaced once its piece count is known. */
    private final Supplier<TorrentEndpoint> endpoint;
    private final Executor executor;
    private final Map<InetSocketAddress, PeerOrigin> candidates = new LinkedHashMap<>();
    private final Set<InetSocketAddress> connecting = new HashSet<>();
    private final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    private final Map<InetSocketAddress, Long> retryAt = new HashMap<>();
    /** How the last dial of each candidate failed, until it connects: what a stalled torrent reports. */
    private final Map<InetSocketAddress, PeerConnectException.Reason> lastFailure = new HashMap<>();

    /** {@code candidates}: the user's peers ({@link PeerOrigin#MANUAL}). */
    public Connector(Admission admission, PeerWire wire, Clock clock, Supplier<TorrentEndpoint> endpoint, Executor executor,
            Collection<InetSocketAddress> candidates) {
        this.admission = admission;
        this.wire = wire;
        this.clock = clock;
        this.endpoint = endpoint;
        this.executor = executor;
        candidates.forEach(candidate -> this.candidates.put(candidate, PeerOrigin.MANUAL));
    }

    /**
     * Adds a candidate (or forgives a known one its failures); true if it is new. One on the blocklist is
     * counted as refused and not added, whichever source found it.
     */
    public boolean add(InetSocketAddress candidate, PeerOrigin origin) {
        if (!admission.admits(candidate.getAddress())) {
            return false;
        }
        failures.remove(candidate);
        retryAt.remove(candidate);
        return candidates.putIfAbsent(candidate, origin) == null;
    }

    public List<InetSocketAddress> candidates() {
        return List.copyOf(candidates.keySet());
    }

    /** Where a connection we dialled to {@code address} was learnt of. */
    public PeerOrigin origin(InetSocketAddress address) {
        return candidates.getOrDefault(address, PeerOrigin.MANUAL);
    }

    public void connected(InetSocketAddress address) {
        failures.remove(address);
        lastFailure.remove(address);
    }

    /** How many candidates' last dial failed, by reason. */
    public Map<PeerConnectException.Reason, Integer> dialFailures() {
        Map<PeerConnectException.Reason, Integer> counts = new HashMap<>();
        lastFailure.forEach((address, reason) -> counts.merge(reason, 1, Integer::sum));
        return counts;
    }

    /** A dial failed or an outgoing connection ended: wait longer before the next try. */
    public void backOff(InetSocketAddress address) {
        int count = failures.merge(address, 1, Integer::sum);
        retryAt.put(address, clock.millis() + Math.min(MAX_RETRY_MILLIS, 1000L << Math.min(count, 16)));
    }

    /**
     * Dials the candidates that are due, while the limits leave room; {@code peers} are the connected
     * ones. With more due than free slots, BEP 40's {@link CanonicalPriority} picks which.
     */
    public void dial(Collection<Peer> peers) {
        long now = clock.millis();
        int slots = admission.perTorrentLimit() - peers.size() - connecting.size();
        if (slots <= 0) {
            return;
        }
        List<InetSocketAddress> due = new ArrayList<>();
        for (InetSocketAddress candidate : candidates.keySet()) {
            boolean connected = peers.stream().anyMatch(peer -> peer.address.equals(candidate));
            if (!connected && !connecting.contains(candidate) && retryAt.getOrDefault(candidate, 0L) <= now
                    && admission.mayDial(candidate)) {
                due.add(candidate);
            }
        }
        for (InetSocketAddress candidate : CanonicalPriority.first(due, slots, admission::ourAddressTowards)) {
            if (!admission.hasRoom()) {
                return;
            }
            connecting.add(candidate);
            wire.connect(candidate, endpoint.get()).whenComplete((connection, failure) -> executor.execute(() -> {
                connecting.remove(candidate);
                if (failure != null) {
                    dialFailed(candidate, failure);
                }
            }));
        }
    }

    /**
     * A dial the torrent did not choose (a holepunch's), run by {@code dial} if the admission would dial
     * {@code address} now: dialable (not banned, blocked or ourselves), not among {@code peers} or the
     * dials in progress, and room under the torrent's and the engine's limits. It then counts as a
     * dial in progress until it completes; a failure does not back the address off as a candidate
     * (the candidate's own dials are another matter). Refused, the result fails with LIMIT or OTHER.
     */
    public CompletableFuture<PeerConnection> dialNow(InetSocketAddress address, Collection<Peer> peers,
            Supplier<CompletableFuture<PeerConnection>> dial) {
        String refusal = !admission.mayDial(address) ? "banned, on the blocklist or ourselves"
                : connecting.contains(address) || peers.stream().anyMatch(peer -> peer.address.equals(address))
                        ? "connected or being dialled already"
                : null;
        if (refusal != null) {
            return CompletableFuture.failedFuture(new PeerConnectException("not dialling " + address + ": " + refusal));
        }
        if (peers.size() + connecting.size() >= admission.perTorrentLimit() || !admission.hasRoom()) {
            return CompletableFuture.failedFuture(new PeerConnectException(PeerConnectException.Reason.LIMIT,
                    "connection limit reached; not dialling " + address, null));
        }
        connecting.add(address);
        CompletableFuture<PeerConnection> result = dial.get();
        result.whenComplete((connection, failure) -> executor.execute(() -> connecting.remove(address)));
        return result;
    }

    private void dialFailed(InetSocketAddress candidate, Throwable failure) {
        Throwable cause = Completions.cause(failure);
        PeerConnectException.Reason reason = cause instanceof PeerConnectException e ? e.reason()
                : PeerConnectException.Reason.OTHER;
        LOG.debug("dialling {}: {} ({})", candidate, cause.getMessage(), reason);
        if (reason == PeerConnectException.Reason.OURSELVES) {
            admission.dialledOurselves(candidate); // never dialled again: no back-off to keep
            return;
        }
        if (reason != PeerConnectException.Reason.LIMIT && candidates.containsKey(candidate)) {
            lastFailure.put(candidate, reason);
        }
        backOff(candidate);
    }
}
