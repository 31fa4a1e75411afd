package io.graytorrent.api.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class LaterChangeWinsTest {
    private static final String PID = "io.graytorrent.peerwire";

    @TempDir
    Path state;

    @Test
    void theApisValueHoldsAcrossRestartsUntilTheConfigurationChanges() throws IOException {
        Path file = state.resolve("peerwire-settings");
        Map<String, String> configured = Map.of("encryption", "preferred");
        assertEquals(Map.of("encryption", "required"),
                new LaterChangeWins(file, PID).set(configured, Map.of("encryption", "required")));
        assertTrue(Files.readString(file).contains("encryption.cfg=preferred"), Files.readString(file));

        LaterChangeWins restarted = new LaterChangeWins(file, PID);
        assertEquals(Map.of("encryption", "required"), restarted.resolve(configured), "the same .cfg: the API's value holds");
        assertEquals(Map.of("encryption", "disabled"), restarted.resolve(Map.of("encryption", "disabled")),
                "the .cfg changed later: its value wins");
        assertFalse(Files.readString(file).contains("encryption"), "and the API's is forgotten: " + Files.readString(file));
        assertEquals(Map.of("encryption", "preferred"), new LaterChangeWins(file, PID).resolve(configured),
                "going back to the old .cfg value does not bring the API's back");
    }

    @Test
    void settingTheConfigurationsValueForgetsTheApisAndOtherKeysStay() throws IOException {
        Path file = state.resolve("watch-settings");
        Map<String, String> configured = Map.of("watchDirectory", "", "paused", "false");
        LaterChangeWins values = new LaterChangeWins(file, "io.graytorrent.watch");
        values.set(configured, Map.of("watchDirectory", "/srv/in", "paused", "true"));
        assertEquals(Map.of("watchDirectory", "/srv/in", "paused", "false"),
                values.set(configured, Map.of("paused", "false")));
        assertFalse(Files.readString(file).contains("paused"), Files.readString(file));
        assertEquals(Map.of("watchDirectory", "/srv/in", "paused", "false"),
                new LaterChangeWins(file, "io.graytorrent.watch").resolve(configured));
        assertThrows(IllegalArgumentException.class, () -> values.set(configured, Map.of("pollSeconds", "1")));
    }

    @Test
    void aValueSavedWithoutTheOneItReplacedHoldsUntilTheConfigurationChanges() throws IOException {
        Path file = state.resolve("session-settings");
        Files.writeString(file, "maxConnections=20\nunknownKey=1\n");
        LaterChangeWins values = new LaterChangeWins(file, "io.graytorrent.core");
        assertEquals(Map.of("maxConnections", "20"), values.resolve(Map.of("maxConnections", "200")));
        assertTrue(Files.readString(file).contains("maxConnections.cfg=200"), Files.readString(file));
        assertFalse(Files.readString(file).contains("unknownKey"), Files.readString(file));
        assertEquals(Map.of("maxConnections", "20"),
                new LaterChangeWins(file, "io.graytorrent.core").resolve(Map.of("maxConnections", "200")));
        assertEquals(Map.of("maxConnections", "100"), values.resolve(Map.of("maxConnections", "100")));
    }

    @Test
    void anUnreadableFileIsNoValues() throws IOException {
        Path file = state.resolve("peerwire-settings");
        Files.writeString(file, "encryption=\\u12");
        assertEquals(Map.of("encryption", "enabled"), new LaterChangeWins(file, PID).resolve(Map.of("encryption", "enabled")));
    }
}
