package io.graytorrent.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class ActiveSlotsTest {
    private final ActiveSlots<String> slots = new ActiveSlots<>(1, 2);

    @Test
    void aFullKindQueuesAndAFreedSlotGoesToTheLongestWaiting() {
        assertTrue(slots.request("a", false).granted());
        assertFalse(slots.request("b", false).granted());
        assertFalse(slots.request("c", false).granted());
        assertTrue(slots.request("s", true).granted(), "seed slots are counted apart");
        assertEquals(List.of("b"), slots.release("a"));
        assertEquals(List.of(), slots.release("nobody"));
    }

    @Test
    void switchingKindFreesTheOldSlot() {
        slots.request("a", false);
        slots.request("b", false);
        ActiveSlots.Grant<String> grant = slots.request("a", true);
        assertTrue(grant.granted());
        assertEquals(List.of("b"), grant.promoted());
    }

    @Test
    void aWaitingTorrentThatStopsLeavesTheQueue() {
        slots.request("a", false);
        slots.request("b", false);
        slots.request("c", false);
        slots.release("b");
        assertEquals(List.of("c"), slots.release("a"));
    }

    @Test
    void raisedLimitsPromoteTheWaitingAtOnceAndLoweredOnesStopNobody() {
        slots.request("a", false);
        slots.request("b", false);
        slots.request("c", false);
        assertEquals(List.of("b", "c"), slots.setLimits(3, 2), "two more download slots take both waiting");
        assertEquals(List.of(), slots.setLimits(1, 2), "fewer slots stop no running torrent");
        assertFalse(slots.request("d", false).granted(), "a new one waits while three run over the limit of one");
        assertEquals(List.of(), slots.release("a"), "two still run: no room yet");
        assertEquals(List.of(), slots.release("b"));
        assertEquals(List.of("d"), slots.release("c"), "below the limit again, the waiting one runs");
    }
}
