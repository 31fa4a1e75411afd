package io.graytorrent.core.internal.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.core.internal.choke.Choker.Decision;
import io.graytorrent.core.internal.choke.Choker.PeerSample;
import io.graytorrent.testkit.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

@Unit
class ChokerTest {

    private static final long ROTATION = 30_000;

    private static Choker<String> choker(long seed) {
        return new Choker<>(4, ROTATION, new Random(seed));
    }

    /** An interested leecher sending us {@code receiveRate} and getting {@code sendRate} from us. */
    private static PeerSample<String> leecher(String peer, long receiveRate, long sendRate) {
        return new PeerSample<>(peer, true, receiveRate, sendRate, false, false);
    }

    /** Four peers filling the regular slots and six that only an optimistic unchoke reaches. */
    private static List<PeerSample<String>> fourFastSixIdle() {
        List<PeerSample<String>> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(leecher("fast" + i, 1000, 0));
        }
        for (int i = 0; i < 6; i++) {
            peers.add(leecher("idle" + i, 0, 0));
        }
        return peers;
    }

    private static Set<String> regular(Decision<String> decision) {
        Set<String> regular = new HashSet<>(decision.unchoked());
        regular.remove(decision.optimistic());
        return regular;
    }

    @Test
    void downloadingUnchokesTheFourFastestInterestedNonSnubbedPeersPlusOneOptimistic() {
        List<PeerSample<String>> peers = List.of(
                leecher("a", 900, 0), leecher("b", 800, 0), leecher("c", 700, 0), leecher("d", 600, 0),
                leecher("e", 500, 0), leecher("f", 10, 0),
                new PeerSample<>("snubber", true, 5_000, 0, true, false),
                new PeerSample<>("uninterested", false, 9_000, 0, false, false),
                new PeerSample<>("seed", true, 9_000, 0, false, true));

        Decision<String> decision = choker(1).rechoke(peers, false, 0);

        assertEquals(Set.of("a", "b", "c", "d"), regular(decision));
        assertTrue(Set.of("e", "f", "snubber").contains(decision.optimistic()));
        assertEquals(5, decision.unchoked().size());
        assertFalse(decision.unchoked().contains("uninterested"));
        assertFalse(decision.unchoked().contains("seed"));
    }

    @Test
    void aSnubbedPeerNeverGetsARegularSlotHoweverFastItWas() {
        Choker<String> choker = choker(2);
        for (long now = 0; now < 300_000; now += Choker.RECHOKE_INTERVAL_MILLIS) {
            Decision<String> decision = choker.rechoke(List.of(
                    new PeerSample<>("snubber", true, 1_000_000, 0, true, false),
                    leecher("slow", 1, 0)), false, now);
            assertEquals(Set.of("slow"), regular(decision));
        }
    }

    @Test
    void theOptimisticUnchokeIsKeptForThirtySecondsThenRotated() {
        Choker<String> choker = choker(3);
        List<PeerSample<String>> peers = fourFastSixIdle();
        Set<String> optimists = new HashSet<>();
        for (long window = 0; window < 20 * ROTATION; window += ROTATION) {
            String first = choker.rechoke(peers, false, window).optimistic();
            assertEquals(first, choker.rechoke(peers, false, window + 10_000).optimistic());
            assertEquals(first, choker.rechoke(peers, false, window + 20_000).optimistic());
            optimists.add(first);
        }
        assertTrue(optimists.size() >= 4, "rotation reaches many peers: " + optimists);
    }

    @Test
    void aShorterRotationSetWhileRunningRotatesMoreOften() {
        Choker<String> choker = choker(5);
        List<PeerSample<String>> peers = fourFastSixIdle();
        choker.rechoke(peers, false, 0);
        choker.setRotationMillis(10_000);
        int rotations = 0;
        String previous = null;
        for (long window = 10_000; window <= 20 * 10_000; window += 10_000) {
            String optimistic = choker.rechoke(peers, false, window).optimistic();
            assertEquals(optimistic, choker.rechoke(peers, false, window + 5_000).optimistic(), "kept within its turn");
            rotations += previous != null && !previous.equals(optimistic) ? 1 : 0;
            previous = optimistic;
        }
        assertTrue(rotations >= 10, "every 10 s, not 30 s (at most 6 in 190 s): " + rotations);
        assertThrows(IllegalArgumentException.class, () -> choker.setRotationMillis(0));
    }

    @Test
    void anOptimisticPeerThatEarnsARegularSlotOrLeavesIsReplacedAtOnce() {
        Choker<String> choker = new Choker<>(1, ROTATION, new Random(4));
        Decision<String> first = choker.rechoke(List.of(leecher("a", 100, 0), leecher("b", 0, 0)), false, 0);
        assertEquals("b", first.optimistic());

        Decision<String> promoted = choker.rechoke(List.of(leecher("a", 100, 0), leecher("b", 500, 0)), false, 10_000);
        assertEquals(Set.of("b"), regular(promoted));
        assertEquals("a", promoted.optimistic());

        Decision<String> left = choker.rechoke(List.of(leecher("b", 500, 0)), false, 20_000);
        assertNull(left.optimistic());
        assertEquals(Set.of("b"), left.unchoked());
    }

    @Test
    void newPeersAreAboutThreeTimesLikelierToBePickedOptimistically() {
        int newPicked = 0;
        int trials = 2000;
        Random seeds = new Random(5);
        for (int trial = 0; trial < trials; trial++) {
            Choker<String> choker = new Choker<>(0, ROTATION, new Random(seeds.nextLong()));
            choker.rechoke(List.of(leecher("old", 0, 0)), false, 0);
            Decision<String> later = choker.rechoke(List.of(leecher("old", 0, 0), leecher("new", 0, 0)), false, 100_000);
            if ("new".equals(later.optimistic())) {
                newPicked++;
            }
        }
        double share = newPicked / (double) trials; // 3 / (3 + 1) expected
        assertTrue(share > 0.70 && share < 0.80, "new peer share " + share);
    }

    @Test
    void seedingHandsSlotsRoundRobinSoEveryInterestedPeerGetsATurn() {
        Choker<String> choker = new Choker<>(2, ROTATION, new Random(6));
        List<PeerSample<String>> peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            peers.add(leecher("p" + i, 0, 1000L * i));
        }
        Map<String, Integer> regularTurns = new HashMap<>();
        Set<String> previous = Set.of();
        for (long now = 0; now < 4 * 30_000 * 2; now += Choker.RECHOKE_INTERVAL_MILLIS) {
            Set<String> regular = regular(choker.rechoke(peers, true, now));
            assertEquals(2, regular.size());
            if (now % ROTATION != 0) {
                assertEquals(previous, regular, "a turn lasts the rotation period");
            }
            if (now % ROTATION == 0) {
                regular.forEach(peer -> regularTurns.merge(peer, 1, Integer::sum));
                assertNotEquals(previous, regular, "the turn passes on");
            }
            previous = regular;
        }
        assertEquals(8, regularTurns.size(), "everyone got a regular slot: " + regularTurns);
    }

    @Test
    void seedingFirstServesTheFastestReceiversAndKeepsSlotsWhenNobodyWaits() {
        Choker<String> choker = new Choker<>(2, ROTATION, new Random(7));
        List<PeerSample<String>> peers = List.of(leecher("slow", 0, 10), leecher("fast", 0, 900), leecher("mid", 0, 500));

        Decision<String> decision = choker.rechoke(peers, true, 0);
        assertEquals(Set.of("fast", "mid"), regular(decision));
        assertEquals("slow", decision.optimistic());

        List<PeerSample<String>> two = List.of(leecher("fast", 0, 900), leecher("mid", 0, 500));
        assertEquals(Set.of("fast", "mid"), choker.rechoke(two, true, 100_000).unchoked());
    }

    @Test
    void snubbingMeansSixtySecondsWithoutABlockWhileWeAreInterested() {
        assertFalse(Choker.isSnubbed(0, 59_999, true));
        assertTrue(Choker.isSnubbed(0, 60_000, true));
        assertFalse(Choker.isSnubbed(0, 600_000, false));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Choker<String>(-1, ROTATION, new Random()));
        assertThrows(IllegalArgumentException.class, () -> new Choker<String>(4, 0, new Random()));
        assertThrows(NullPointerException.class, () -> leecher(null, 0, 0));
    }
}
