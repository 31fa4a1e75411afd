package io.graytorrent.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class PieceBudgetTest {

    @Test
    void aSmallerCapacityHoldsNewReservationsBackUntilEnoughIsReleased() {
        PieceBudget budget = new PieceBudget(100);
        assertTrue(budget.tryReserve(80));
        budget.setCapacity(50);
        assertFalse(budget.tryReserve(1), "80 held, over the new capacity of 50");
        budget.release(40);
        assertTrue(budget.tryReserve(10), "40 held: 10 more fit in 50");
        budget.setCapacity(1_000);
        assertTrue(budget.tryReserve(900), "raised: room at once");
    }
}
