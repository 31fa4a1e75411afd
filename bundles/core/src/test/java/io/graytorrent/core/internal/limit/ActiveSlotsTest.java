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
}
