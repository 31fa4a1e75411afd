package io.graytorrent.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.SessionSettings;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per key, the later of the configuration's change and the API's wins, across restarts. */
@Unit
class GlobalSettingsTest {
    @TempDir
    Path state;

    private EngineSettings configured(long downloadRate, int maxConnections) {
        EngineSettings d = EngineSettings.defaults(state.resolve("downloads"));
        return d.with(new SessionSettings(downloadRate, 0, maxConnections, d.maxConnectionsPerTorrent(),
                d.defaultSaveDirectory().toAbsolutePath()));
    }

    private static SessionSettings withDownloadRate(EngineSettings settings, long rate) {
        SessionSettings s = settings.session();
        return new SessionSettings(rate, s.uploadRateLimit(), s.maxConnections(), s.maxConnectionsPerTorrent(),
                s.defaultSaveDirectory());
    }

    @Test
    void theApisValueHoldsAcrossARestartUntilTheConfigurationChangesThatKey() throws Exception {
        GlobalSettings settings = new GlobalSettings(configured(0, 200), state);
        settings.update(withDownloadRate(settings.current(), 100_000));
        assertEquals(100_000, settings.current().downloadRateLimit());

        GlobalSettings restarted = new GlobalSettings(configured(0, 200), state);
        assertEquals(100_000, restarted.current().downloadRateLimit(), "the configuration did not change: the API's holds");

        EngineSettings otherKey = restarted.reconfigure(configured(0, 150));
        assertEquals(100_000, otherKey.downloadRateLimit(), "another key's change leaves the API's value alone");
        assertEquals(150, otherKey.maxConnections());

        EngineSettings edited = restarted.reconfigure(configured(500_000, 150));
        assertEquals(500_000, edited.downloadRateLimit(), "the configuration changed later: it wins");
        assertEquals(0, restarted.reconfigure(configured(0, 150)).downloadRateLimit(),
                "the API's value is forgotten, not revived when the configuration goes back");
        assertEquals(0, new GlobalSettings(configured(0, 150), state).current().downloadRateLimit());
    }

    @Test
    void aConfigurationEditedWhileTheServerWasStoppedWins() throws Exception {
        GlobalSettings settings = new GlobalSettings(configured(0, 200), state);
        settings.update(withDownloadRate(settings.current(), 100_000));
        assertEquals(300_000, new GlobalSettings(configured(300_000, 200), state).current().downloadRateLimit());
        assertEquals(300_000, new GlobalSettings(configured(300_000, 200), state).current().downloadRateLimit(),
                "and the API's value stays forgotten");
    }

    @Test
    void settingTheConfigurationsValueThroughTheApiForgetsTheOverride() throws Exception {
        GlobalSettings settings = new GlobalSettings(configured(0, 200), state);
        settings.update(withDownloadRate(settings.current(), 100_000));
        assertTrue(Files.readString(state.resolve("session-settings")).contains("downloadRateLimit=100000"));
        settings.update(withDownloadRate(settings.current(), 0));
        assertFalse(Files.readString(state.resolve("session-settings")).contains("downloadRateLimit"),
                "nothing set through the API differs from the configuration");
    }

    @Test
    void aFileOfTheOlderFormatKeepsWinningUntilTheConfigurationChanges() throws Exception {
        Files.writeString(state.resolve("session-settings"), "downloadRateLimit=7000\nmaxConnections=20\n");
        GlobalSettings settings = new GlobalSettings(configured(0, 200), state);
        assertEquals(7000, settings.current().downloadRateLimit());
        assertEquals(20, settings.current().maxConnections());
        assertEquals(100, settings.reconfigure(configured(0, 100)).maxConnections());
        assertEquals(7000, settings.current().downloadRateLimit());
    }
}
