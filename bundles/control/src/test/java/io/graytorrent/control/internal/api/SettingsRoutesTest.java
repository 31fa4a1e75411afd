package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.testkit.Unit;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What {@code PATCH /api/v1/settings} accepts for the watch folder and the encryption policy, checked before anything applies. */
@Unit
class SettingsRoutesTest {
    private static JsonNode body(String json) throws IOException {
        return JsonReply.JSON.readTree(json);
    }

    @Test
    void aWatchDirectoryIsAbsoluteOrEmpty() throws Exception {
        assertEquals("/srv/watch", SettingsRoutes.directoryOrEmpty(body("{\"watchDirectory\":\"/srv/./watch/\"}"), "watchDirectory"));
        assertEquals("", SettingsRoutes.directoryOrEmpty(body("{\"watchDirectory\":\"\"}"), "watchDirectory"), "empty turns it off");
        assertEquals("", SettingsRoutes.directoryOrEmpty(body("{\"watchDirectory\":\"  \"}"), "watchDirectory"));
        assertNull(SettingsRoutes.directoryOrEmpty(body("{}"), "watchDirectory"));
        assertRefused("watchDirectory must be an absolute path",
                () -> SettingsRoutes.directoryOrEmpty(body("{\"watchDirectory\":\"watch\"}"), "watchDirectory"));
        assertRefused("watchSaveDirectory must be a string",
                () -> SettingsRoutes.directoryOrEmpty(body("{\"watchSaveDirectory\":7}"), "watchSaveDirectory"));
        assertRefused("watchDirectory is not a valid path",
                () -> SettingsRoutes.directoryOrEmpty(body("{\"watchDirectory\":\"/a\\u0000b\"}"), "watchDirectory"));
    }

    @Test
    void watchFieldsAreCheckedBeforeTheFolderIsLookedFor() throws Exception {
        assertNull(SettingsRoutes.watchFolder(body("{\"downloadRateLimit\":5}"), null), "no watch field: nothing to do");
        assertRefused("watchPaused must be true or false", () -> SettingsRoutes.watchFolder(body("{\"watchPaused\":\"yes\"}"), null));
        assertRefused("watchDirectory must be an absolute path",
                () -> SettingsRoutes.watchFolder(body("{\"watchDirectory\":\"relative/dir\"}"), null));
        ApiException absent = assertThrows(ApiException.class,
                () -> SettingsRoutes.watchFolder(body("{\"watchDirectory\":\"/srv/watch\"}"), null));
        assertEquals(HttpResponseStatus.SERVICE_UNAVAILABLE, absent.status());
    }

    @Test
    void theEncryptionPolicyIsOneOfFour() throws Exception {
        for (String policy : new String[] {"disabled", "enabled", "preferred", "required"}) {
            ApiException absent = assertThrows(ApiException.class,
                    () -> SettingsRoutes.encryption(body("{\"encryption\":\"" + policy + "\"}"), null));
            assertEquals(HttpResponseStatus.SERVICE_UNAVAILABLE, absent.status(), policy + " is valid: only the peer wire is missing");
        }
        assertNull(SettingsRoutes.encryption(body("{}"), null));
        assertRefused("encryption must be disabled, enabled, preferred or required",
                () -> SettingsRoutes.encryption(body("{\"encryption\":\"always\"}"), null));
        assertRefused("encryption must be disabled, enabled, preferred or required",
                () -> SettingsRoutes.encryption(body("{\"encryption\":\"Required\"}"), null));
        assertRefused("encryption must be a string", () -> SettingsRoutes.encryption(body("{\"encryption\":true}"), null));
    }

    private static void assertRefused(String messageStart, org.junit.jupiter.api.function.Executable call) {
        ApiException refused = assertThrows(ApiException.class, call);
        assertEquals(HttpResponseStatus.BAD_REQUEST, refused.status());
        assertTrue(refused.getMessage().startsWith(messageStart), refused.getMessage());
    }
}
