package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalTime;

/**
 * The turtle schedule as {@code PATCH /api/v1/settings} and {@code gray turtle --schedule} take it
 * ({@link SpeedSchedule#parse}): a schedule whose normal form reads back to the same schedule, covering
 * the same minutes of the week, or IllegalArgumentException; nothing else. Seeds live in
 * src/test/resources/io/graytorrent/control/internal/api/SpeedScheduleFuzzTestInputs/.
 */
@Slow
class SpeedScheduleFuzzTest {
    /**
     * 1 KiB a byte, as the LSD and magnet targets: Jazzer's regex hooks allocate while the rule pattern
     * backtracks (130 bytes of carriage returns cost 124,576 bytes with them; the input is a seed).
     * A schedule is at most 1000 characters, so the parse stays bounded.
     */
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 1024);
    private static final LocalTime[] TIMES = {LocalTime.MIDNIGHT, LocalTime.of(6, 0), LocalTime.of(9, 30), LocalTime.NOON,
        LocalTime.of(17, 0), LocalTime.of(23, 59)};

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRefuses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SpeedSchedule[] parsed = new SpeedSchedule[1];
        // the budget is the parse's; the checks after it allocate what they like
        MEMORY.check(input.length, () -> parsed[0] = parseOrNull(text));
        if (parsed[0] != null) {
            roundTrip(text, parsed[0]);
        }
    }

    private static SpeedSchedule parseOrNull(String text) {
        try {
            return SpeedSchedule.parse(text);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    private static void roundTrip(String text, SpeedSchedule schedule) {
        SpeedSchedule again = SpeedSchedule.parse(schedule.toString());
        assertEquals(schedule, again, text);
        for (DayOfWeek day : DayOfWeek.values()) {
            for (LocalTime time : TIMES) {
                assertEquals(schedule.contains(day, time), again.contains(day, time), text + " at " + day + " " + time);
            }
        }
    }
}
