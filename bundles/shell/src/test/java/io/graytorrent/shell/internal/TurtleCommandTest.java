package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

@Unit
class TurtleCommandTest {
    /** A Monday. */
    private static final ZonedDateTime MONDAY_TEN = ZonedDateTime.of(2026, 12, 7, 10, 0, 0, 0, ZoneOffset.UTC);

    private static SessionSettings with(AltSpeed alt) {
        return new SessionSettings(1 << 20, 0, 200, 50, Path.of("/srv"), alt);
    }

    @Test
    void theViewSaysWhetherTheScheduleOrTheSwitchHasItOn() {
        AltSpeed office = new AltSpeed(100 * 1024, 50 * 1024, false, SpeedSchedule.parse("mon-fri 09:00-17:00"));
        assertEquals(String.join("\n",
                "turtle:   on (scheduled)",
                "limits:   down 100.0 KiB/s, up 50.0 KiB/s",
                "normal:   down 1.0 MiB/s, up unlimited",
                "schedule: mon-fri 09:00-17:00", ""), TurtleCommand.view(with(office), MONDAY_TEN));
        assertEquals("turtle:   off (outside its schedule)", TurtleCommand.view(with(office), MONDAY_TEN.plusHours(8)).lines()
                .findFirst().orElseThrow());
        assertEquals("turtle:   on (switched on)", TurtleCommand.view(with(new AltSpeed(0, 0, true, SpeedSchedule.NONE)),
                MONDAY_TEN).lines().findFirst().orElseThrow());
        assertEquals("turtle:   off", TurtleCommand.view(with(AltSpeed.OFF), MONDAY_TEN).lines().findFirst().orElseThrow());
    }
}
