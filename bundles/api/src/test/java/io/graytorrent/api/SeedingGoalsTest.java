package io.graytorrent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class SeedingGoalsTest {
    private static final SeedingGoals GLOBAL = new SeedingGoals(2, 3600, 600, SeedingGoals.Action.REMOVE);

    @Test
    void aTorrentsGoalsTakeWhatFollowsTheGlobalOnesFromThem() {
        SeedingGoals own = new SeedingGoals(SeedingGoals.GLOBAL, SeedingGoals.NONE, 60, null);
        assertFalse(own.isComplete());
        SeedingGoals inForce = own.over(GLOBAL);
        assertEquals(new SeedingGoals(2, SeedingGoals.NONE, 60, SeedingGoals.Action.REMOVE), inForce);
        assertTrue(inForce.isComplete());
        assertEquals(GLOBAL, SeedingGoals.FOLLOW_GLOBAL.over(GLOBAL));
    }

    @Test
    void eachLimitIsReachedAtItsValueAndNoneNever() {
        assertNull(GLOBAL.reached(1.99, 3599, 599));
        assertTrue(GLOBAL.reached(2.0, 0, 0).startsWith("ratio 2.00 reached"));
        assertTrue(GLOBAL.reached(0, 3600, 0).startsWith("seeded 3600 s"));
        assertTrue(GLOBAL.reached(0, 0, 600).startsWith("idle 600 s"));
        assertNull(SeedingGoals.UNLIMITED.reached(1e6, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void outOfRangeLimitsAndActionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SeedingGoals(-0.5, 0, 0, SeedingGoals.Action.STOP));
        assertThrows(IllegalArgumentException.class, () -> new SeedingGoals(0, -2, 0, SeedingGoals.Action.STOP));
        assertThrows(IllegalArgumentException.class,
                () -> new SeedingGoals(0, 0, SeedingGoals.MAX_SECONDS + 1, SeedingGoals.Action.STOP));
        assertThrows(IllegalArgumentException.class, () -> new SeedingGoals(Double.NaN, 0, 0, SeedingGoals.Action.STOP));
        assertThrows(IllegalArgumentException.class, () -> SeedingGoals.Action.parse("explode"));
        assertEquals(SeedingGoals.Action.REMOVE, SeedingGoals.Action.parse(" Remove "));
    }
}
