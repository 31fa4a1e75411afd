package io.graytorrent.core.internal.choke;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Decides which peers we upload to, every {@value #RECHOKE_INTERVAL_MILLIS} ms.
 *
 * <p>Downloading: tit-for-tat — the regular slots go to the interested, non-snubbed peers that
 * send us the most, plus one optimistic unchoke, rotated every rotation period, so that new peers
 * get a chance to prove themselves (peers first seen within two rotation periods are three
 * times as likely to be picked). Seeding: nobody sends us anything, so slots are handed round
 * robin — a peer keeps its slot for one turn (the rotation period), then waiters that were
 * unchoked least recently go first; among peers in their turn the fastest we send to rank first.
 *
 * <p>Peers that are not interested are never unchoked (they would ignore it); seeds never need
 * our data. Apart from its rotation bookkeeping the result is a function of the samples.
 * Not thread-safe: owned by the torrent's executor.
 */
public final class Choker<P> {

    public static final long RECHOKE_INTERVAL_MILLIS = 10_000;
    public static final int DEFAULT_REGULAR_SLOTS = 4;
    public static final long DEFAULT_OPTIMISTIC_ROTATION_MILLIS = 30_000;
    static final long SNUB_MILLIS = 60_000;
    static final int NEW_PEER_WEIGHT = 3;

    /** What the session measured about one connected peer since the last rechoke. */
    public record PeerSample<P>(P peer, boolean interested, long receiveRate, long sendRate,
            boolean snubbed, boolean seed) {
        public PeerSample {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** A new rotation period (the configuration changed); the optimistic peer of now keeps its turn by it. */
    public void setRotationMillis(long optimisticRotationMillis) {
        if (optimisticRotationMillis <= 0) {
            throw new IllegalArgumentException("need a positive rotation period, got " + optimisticRotationMillis);
        }
        this.rotationMillis = optimisticRotationMillis;
    }

    /**
     * Peers to unchoke (regular slots plus the optimistic one); every other peer is choked.
     * {@code optimistic} is null when no peer qualifies.
     */
    public record Decision<P>(Set<P> unchoked, P optimistic) { }

    private final int regularSlots;
    private long rotationMillis;
    private final Random random;
    private final Map<P, Long> firstSeen = new HashMap<>();
    /** Seeding: when each currently unchoked peer's turn began. */
    private final Map<P, Long> turnStart = new HashMap<>();
    /** Seeding: when each peer was last unchoked; never-unchoked peers are absent. */
    private final Map<P, Long> lastUnchoked = new HashMap<>();
    private P optimistic;
    private long optimisticSince;

    public Choker(int regularSlots, long optimisticRotationMillis, Random random) {
        if (regularSlots < 0 || optimisticRotationMillis <= 0) {
            throw new IllegalArgumentException("need regularSlots >= 0 and a positive rotation period, got "
                    + regularSlots + ", " + optimisticRotationMillis);
        }
        this.regularSlots = regularSlots;
        this.rotationMillis = optimisticRotationMillis;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A peer is snubbing us when we are interested and it sent no block for 60 s. Pass as
     * {@code lastPieceMillis} the time of its last block, or when we became interested if none.
     */
    public static boolean isSnubbed(long lastPieceMillis, long nowMillis, boolean weAreInterested) {
        return weAreInterested && nowMillis - lastPieceMillis >= SNUB_MILLIS;
    }

    public Decision<P> rechoke(List<PeerSample<P>> peers, boolean weAreSeeding, long nowMillis) {
        forgetDeparted(peers, nowMillis);
        List<PeerSample<P>> candidates = new ArrayList<>();
        for (PeerSample<P> sample : peers) {
            if (sample.interested() && !sample.seed()) {
                candidates.add(sample);
            }
        }
        Set<P> regular = weAreSeeding ? roundRobin(candidates, nowMillis) : titForTat(candidates);
        P chosen = optimistic(candidates, regular, nowMillis);
        Set<P> unchoked = new LinkedHashSet<>(regular);
        if (chosen != null) {
            unchoked.add(chosen);
        }
        for (P peer : unchoked) {
            lastUnchoked.put(peer, nowMillis);
        }
        turnStart.keySet().retainAll(regular);
        return new Decision<>(Collections.unmodifiableSet(unchoked), chosen);
    }

    private Set<P> titForTat(List<PeerSample<P>> candidates) {
        Set<P> regular = new LinkedHashSet<>();
        candidates.stream()
                .filter(sample -> !sample.snubbed())
                .sorted(Comparator.comparingLong((PeerSample<P> sample) -> sample.receiveRate()).reversed())
                .limit(regularSlots)
                .forEach(sample -> regular.add(sample.peer()));
        return regular;
    }

    private Set<P> roundRobin(List<PeerSample<P>> candidates, long nowMillis) {
        Comparator<PeerSample<P>> order = Comparator
                .comparing((PeerSample<P> sample) -> !inTurn(sample.peer(), nowMillis))
                .thenComparingLong(sample -> inTurn(sample.peer(), nowMillis)
                        ? 0 : lastUnchoked.getOrDefault(sample.peer(), Long.MIN_VALUE))
                .thenComparing(Comparator.comparingLong((PeerSample<P> sample) -> sample.sendRate()).reversed());
        Set<P> regular = new LinkedHashSet<>();
        candidates.stream().sorted(order).limit(regularSlots).forEach(sample -> regular.add(sample.peer()));
        for (P peer : regular) {
            turnStart.putIfAbsent(peer, nowMillis);
        }
        return regular;
    }

    private boolean inTurn(P peer, long nowMillis) {
        Long start = turnStart.get(peer);
        return start != null && nowMillis - start < rotationMillis;
    }

    /** Keeps the optimistic peer for one rotation period unless it left, lost interest or earned a regular slot. */
    private P optimistic(List<PeerSample<P>> candidates, Set<P> regular, long nowMillis) {
        boolean keep = optimistic != null && nowMillis - optimisticSince < rotationMillis
                && !regular.contains(optimistic)
                && candidates.stream().anyMatch(sample -> sample.peer().equals(optimistic));
        if (keep) {
            return optimistic;
        }
        List<P> pool = new ArrayList<>();
        for (PeerSample<P> sample : candidates) {
            P peer = sample.peer();
            if (!regular.contains(peer)) {
                boolean isNew = nowMillis - firstSeen.get(peer) < 2 * rotationMillis;
                for (int i = 0; i < (isNew ? NEW_PEER_WEIGHT : 1); i++) {
                    pool.add(peer);
                }
            }
        }
        optimistic = pool.isEmpty() ? null : pool.get(random.nextInt(pool.size()));
        optimisticSince = nowMillis;
        return optimistic;
    }

    private void forgetDeparted(List<PeerSample<P>> peers, long nowMillis) {
        Set<P> present = new HashSet<>();
        for (PeerSample<P> sample : peers) {
            present.add(sample.peer());
            firstSeen.putIfAbsent(sample.peer(), nowMillis);
        }
        firstSeen.keySet().retainAll(present);
        turnStart.keySet().retainAll(present);
        lastUnchoked.keySet().retainAll(present);
    }
}
