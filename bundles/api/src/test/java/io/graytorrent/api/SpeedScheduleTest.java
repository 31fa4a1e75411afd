package io.graytorrent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class SpeedScheduleTest {
    private static final LocalTime NINE = LocalTime.of(9, 0);

    @Test
    void weekdayOfficeHours() {
        SpeedSchedule schedule = SpeedSchedule.parse("Mon-Fri 9:00-17:30");
        assertEquals("mon-fri 09:00-17:30", schedule.toString());
        assertTrue(schedule.contains(DayOfWeek.MONDAY, NINE));
        assertTrue(schedule.contains(DayOfWeek.FRIDAY, LocalTime.of(17, 29)));
        assertFalse(schedule.contains(DayOfWeek.FRIDAY, LocalTime.of(17, 30)), "the end is not inside");
        assertFalse(schedule.contains(DayOfWeek.MONDAY, LocalTime.of(8, 59)));
        assertFalse(schedule.contains(DayOfWeek.SATURDAY, NINE));
    }

    @Test
    void aRuleWhoseEndIsBeforeItsStartRunsPastMidnight() {
        SpeedSchedule schedule = SpeedSchedule.parse("fri 23:00-06:00");
        assertTrue(schedule.contains(DayOfWeek.FRIDAY, LocalTime.of(23, 30)));
        assertTrue(schedule.contains(DayOfWeek.SATURDAY, LocalTime.of(5, 59)), "into the next day");
        assertFalse(schedule.contains(DayOfWeek.FRIDAY, LocalTime.of(5, 0)), "not the morning of its own day");
        assertFalse(schedule.contains(DayOfWeek.SATURDAY, LocalTime.of(23, 30)));
    }

    @Test
    void listsRangesAcrossTheWeekEndAndSeveralRules() {
        SpeedSchedule schedule = SpeedSchedule.parse("sat,sun 00:00-24:00; daily 12:00-13:00;");
        assertEquals("sat,sun 00:00-24:00; daily 12:00-13:00", schedule.toString());
        assertTrue(schedule.contains(DayOfWeek.SUNDAY, LocalTime.of(23, 59)));
        assertTrue(schedule.contains(DayOfWeek.WEDNESDAY, LocalTime.of(12, 30)));
        assertFalse(schedule.contains(DayOfWeek.WEDNESDAY, NINE));
        SpeedSchedule wrapping = SpeedSchedule.parse("fri-mon 10:00-11:00");
        for (DayOfWeek day : DayOfWeek.values()) {
            boolean expected = List.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY).contains(day);
            assertEquals(expected, wrapping.contains(day, LocalTime.of(10, 30)), day.toString());
        }
    }

    @Test
    void emptyIsNoSchedule() {
        assertTrue(SpeedSchedule.parse("").isEmpty());
        assertTrue(SpeedSchedule.parse(" ; ").isEmpty());
        assertEquals(SpeedSchedule.NONE, SpeedSchedule.parse(null));
    }

    @Test
    void saysWhatIsWrong() {
        assertMessage("weekends 10:00-12:00", "\"weekends\" is not a day: mon, tue, wed, thu, fri, sat, sun or daily");
        assertMessage("mon 25:00-26:00", "25:00 is not a time of day (00:00 to 23:59, or 24:00 as an end)");
        assertMessage("mon 24:00-01:00", "24:00 is not a time of day (00:00 to 23:59, or 24:00 as an end)");
        assertMessage("mon 10:60-11:00", "10:60 is not a time of day (00:00 to 23:59, or 24:00 as an end)");
        assertMessage("mon", "\"mon\" is not DAYS HH:MM-HH:MM (e.g. mon-fri 09:00-17:00)");
        assertMessage("mon 10:00-10:00", "\"mon 10:00-10:00\" starts and ends at the same time");
        assertMessage("mon-tue-wed 10:00-11:00", "\"mon-tue-wed\" is not a day or a range of days");
        assertMessage("x".repeat(1001), "a schedule is at most 1000 characters");
    }

    @Test
    void altSpeedAppliesWhenSwitchedOnOrScheduled() {
        SessionSettings settings = new SessionSettings(1000, 2000, 10, 5, java.nio.file.Path.of("/srv"),
                new AltSpeed(100, 200, false, SpeedSchedule.parse("mon 09:00-10:00")));
        assertEquals(100, settings.downloadRateLimitAt(DayOfWeek.MONDAY, NINE));
        assertEquals(200, settings.uploadRateLimitAt(DayOfWeek.MONDAY, NINE));
        assertEquals(1000, settings.downloadRateLimitAt(DayOfWeek.TUESDAY, NINE));
        SessionSettings switchedOn = new SessionSettings(1000, 2000, 10, 5, java.nio.file.Path.of("/srv"),
                new AltSpeed(100, 200, true, SpeedSchedule.NONE));
        assertEquals(200, switchedOn.uploadRateLimitAt(DayOfWeek.TUESDAY, NINE));
        assertThrows(IllegalArgumentException.class, () -> new AltSpeed(-1, 0, false, SpeedSchedule.NONE));
    }

    private static void assertMessage(String schedule, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> SpeedSchedule.parse(schedule)).getMessage());
    }
}
