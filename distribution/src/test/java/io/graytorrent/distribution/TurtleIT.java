package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.testkit.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alternative ("turtle") limits through the real {@code bin/gray turtle} and the API: switched,
 * scheduled, refused with the reason, and kept across a server restart.
 */
@Timeout(180)
@Slow
class TurtleIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theSwitchRatesAndScheduleAreSetShownAndKept() throws Exception {
        Path home = work.resolve("home");
        GrayCommand gray = new GrayCommand(home, work);
        try (ApiServer server = ApiServer.start(home, work)) {
            assertTrue(GrayCommand.assertSucceeds(gray.run("turtle")).out().startsWith("turtle:   off\n"));
            GrayCommand.Result set = GrayCommand.assertSucceeds(gray.run("turtle", "on", "--down", "256k", "--up", "64k",
                    "--schedule", "Mon-Fri 9:00-17:00; daily 23:00-06:00"));
            assertEquals(String.join("\n", "turtle:   on (switched on)", "limits:   down 256.0 KiB/s, up 64.0 KiB/s",
                    "normal:   down unlimited, up unlimited", "schedule: mon-fri 09:00-17:00; daily 23:00-06:00"), set.out().strip());
            JsonNode settings = JSON.readTree(server.send(server.authorised("/api/v1/settings")).body());
            assertEquals(262144, settings.get("altDownloadRateLimit").asLong());
            assertEquals(65536, settings.get("altUploadRateLimit").asLong());
            assertTrue(settings.get("altSpeedEnabled").asBoolean());
            assertTrue(settings.get("altSpeedActive").asBoolean(), "switched on: in force whatever the time");
            assertEquals("mon-fri 09:00-17:00; daily 23:00-06:00", settings.get("altSpeedSchedule").asText());

            GrayCommand.Result refused = gray.run("turtle", "--schedule", "weekdays 9:00-17:00");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue((refused.out() + refused.err()).contains("\"weekdays\" is not a day"), refused.toString());
            GrayCommand.Result badOnOff = gray.run("turtle", "maybe");
            assertNotEquals(0, badOnOff.exit(), badOnOff.toString());
            // switched off, the schedule decides (the server reads the same clock and zone as this test)
            String off = GrayCommand.assertSucceeds(gray.run("turtle", "off")).out();
            java.time.ZonedDateTime now = java.time.ZonedDateTime.now();
            boolean scheduled = SpeedSchedule.parse("mon-fri 09:00-17:00; daily 23:00-06:00").contains(now.getDayOfWeek(),
                    now.toLocalTime());
            assertEquals(scheduled ? "turtle:   on (scheduled)" : "turtle:   off (outside its schedule)", off.lines().findFirst().orElseThrow(),
                    "at " + now);
        }
        try (ApiServer restarted = ApiServer.start(home, work)) {
            JsonNode kept = JSON.readTree(restarted.send(restarted.authorised("/api/v1/settings")).body());
            assertEquals(262144, kept.get("altDownloadRateLimit").asLong(), "kept across the restart: " + kept);
            assertEquals(false, kept.get("altSpeedEnabled").asBoolean());
            assertEquals("mon-fri 09:00-17:00; daily 23:00-06:00", kept.get("altSpeedSchedule").asText());
            assertTrue(Files.readString(home.resolve("state/session-settings")).contains("altSpeedSchedule="));
        }
    }
}
