package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.core.internal.concurrent.FakeClock;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The alternative ("turtle") limits replace the global ones inside their schedule or while switched on, on the engine's clock. */
@Timeout(30)
@Unit
class AltSpeedTest {
    private static final long NORMAL_DOWN = 4_000_000;
    private static final long NORMAL_UP = 1_000_000;
    private static final long TURTLE_DOWN = 100_000;
    private static final long TURTLE_UP = 50_000;

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();

    /** A one-hour rule around the fake clock's present, in the zone the engine reads it in ("thu 23:00-24:00" at 23:xx). */
    private String theHourAroundNow() {
        ZonedDateTime now = Instant.ofEpochMilli(clock.millis()).atZone(ZoneId.systemDefault());
        String day = now.getDayOfWeek().name().substring(0, 3).toLowerCase(Locale.ROOT);
        return String.format(Locale.ROOT, "%s %02d:00-%02d:00", day, now.getHour(), now.getHour() + 1);
    }

    private Engine engine(AltSpeed alt, StorageService storage) throws Exception {
        EngineSettings defaults = EngineSettings.defaults(dir.resolve("downloads"));
        EngineSettings settings = defaults.with(new SessionSettings(NORMAL_DOWN, NORMAL_UP, defaults.maxConnections(),
                defaults.maxConnectionsPerTorrent(), dir.resolve("downloads"), alt));
        return new Engine(settings, dir.resolve("state"), storage, new TrackerClients(), new PeerSources(), clock);
    }

    @Test
    void theScheduleSwitchesTheGlobalLimitsAsTheClockMoves() throws Exception {
        AltSpeed alt = new AltSpeed(TURTLE_DOWN, TURTLE_UP, false, SpeedSchedule.parse(theHourAroundNow()));
        try (StorageService storage = Storages.create(StorageConfig.defaults(dir.resolve("state")));
             Engine engine = engine(alt, storage)) {
            assertEquals(TURTLE_DOWN, engine.globalDownloadRate(), "inside the schedule from the start");
            assertEquals(TURTLE_UP, engine.globalUploadRate());
            assertTrue(engine.altSpeedActive());
            clock.advance(2 * 3_600_000);
            engine.applyRates(); // what the engine's timer does every 20 s
            assertEquals(NORMAL_DOWN, engine.globalDownloadRate(), "two hours later the schedule is over");
            assertEquals(NORMAL_UP, engine.globalUploadRate());
            assertFalse(engine.altSpeedActive());
        }
    }

    @Test
    void theSwitchSetThroughTheApiAppliesAtOnceAndOutlivesARestart() throws Exception {
        try (StorageService storage = Storages.create(StorageConfig.defaults(dir.resolve("state")))) {
            try (Engine engine = engine(AltSpeed.OFF, storage)) {
                assertEquals(NORMAL_DOWN, engine.globalDownloadRate());
                SessionSettings now = engine.sessionSettings();
                SessionSettings turtle = new SessionSettings(now.downloadRateLimit(), now.uploadRateLimit(),
                        now.maxConnections(), now.maxConnectionsPerTorrent(), now.defaultSaveDirectory(),
                        new AltSpeed(TURTLE_DOWN, TURTLE_UP, true, SpeedSchedule.parse("sat,sun 00:00-24:00")));
                assertEquals(turtle, engine.updateSessionSettings(turtle));
                assertEquals(TURTLE_DOWN, engine.globalDownloadRate());
                assertEquals(TURTLE_UP, engine.globalUploadRate());
            }
            try (Engine restarted = engine(AltSpeed.OFF, storage)) {
                AltSpeed kept = restarted.sessionSettings().altSpeed();
                assertEquals(new AltSpeed(TURTLE_DOWN, TURTLE_UP, true, SpeedSchedule.parse("sat,sun 00:00-24:00")), kept);
                assertEquals(TURTLE_DOWN, restarted.globalDownloadRate(), "still switched on after the restart");
            }
        }
    }

    @Test
    void aScheduleTheCfgGetsWrongIsIgnoredAndTheEngineStarts() {
        assertEquals(SpeedSchedule.NONE, EngineSettings.schedule("weekends 10:00-12:00"));
        assertEquals(SpeedSchedule.parse("sat 10:00-12:00"), EngineSettings.schedule("sat 10:00-12:00"));
    }
}
