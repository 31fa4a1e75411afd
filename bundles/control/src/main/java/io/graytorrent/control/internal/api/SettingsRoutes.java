package io.graytorrent.control.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.NetworkService;
import io.graytorrent.api.WatchFolderService;
import io.graytorrent.api.WatchFolderSettings;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.json.OptionsJson;
import io.graytorrent.api.TorrentException;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonFields;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Totals over all torrents, and the engine's global limits read and changed at run time, with the watch
 * folder's settings and the peer wire's encryption policy while their components run; GET also
 * says whether the alternative ("turtle") limits are in force now ({@code altSpeedActive}, read only).
 */
public final class SettingsRoutes {
    private static final String SEEDING = "seeding";
    private static final String WATCH_DIRECTORY = "watchDirectory";
    private static final String WATCH_SAVE_DIRECTORY = "watchSaveDirectory";
    private static final String WATCH_PAUSED = "watchPaused";
    private static final String ENCRYPTION = "encryption";
    private static final Set<String> ENCRYPTION_POLICIES = Set.of("disabled", "enabled", "preferred", "required");
    private static final Set<String> SEEDING_FIELDS = Set.of(OptionRoutes.name(SEEDING, OptionsJson.RATIO),
            OptionRoutes.name(SEEDING, OptionsJson.TIME), OptionRoutes.name(SEEDING, OptionsJson.IDLE),
            OptionRoutes.name(SEEDING, OptionsJson.ACTION));
    private static final Set<String> FIELDS = Stream.concat(Stream.of("downloadRateLimit", "uploadRateLimit",
            "maxConnections", "maxConnectionsPerTorrent", "defaultSaveDirectory", "altDownloadRateLimit",
            "altUploadRateLimit", "altSpeedEnabled", "altSpeedSchedule", WATCH_DIRECTORY, WATCH_SAVE_DIRECTORY, WATCH_PAUSED,
            ENCRYPTION), SEEDING_FIELDS.stream())
            .collect(Collectors.toUnmodifiableSet());

    private final EngineAccess engine;

    public SettingsRoutes(EngineAccess engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/api/v1/stats", Router.Access.SIGNED_IN,
                        request -> JsonReply.ok(TorrentJson.stats(engine.get().list())))
                .add(HttpMethod.GET, "/api/v1/settings", Router.Access.SIGNED_IN,
                        request -> JsonReply.ok(json(engine.get())))
                .add(HttpMethod.PATCH, "/api/v1/settings", Router.Access.SIGNED_IN, this::update);
    }

    /**
     * Changes the fields given, keeps the others. Every field is checked before any applies; the watch
     * folder's and the encryption policy go to the components that own them (503 while one does not run).
     */
    private Reply update(ApiRequest request) throws ApiException, TorrentException {
        JsonNode body = request.jsonObject();
        JsonFields.onlyKeys(body, FIELDS);
        WatchFolderService watchService = engine.watchFolderOrNull();
        NetworkService network = engine.networkOrNull();
        WatchFolderSettings watch = watchFolder(body, watchService);
        String encryption = encryption(body, network);
        Path saveDirectory = JsonFields.absolutePath("defaultSaveDirectory",
                JsonFields.text(body, "defaultSaveDirectory", JsonFields.MAX_PATH_LENGTH));
        TorrentService torrents = engine.get();
        SeedingGoals goals = OptionRoutes.goals(body, torrents.seedingGoals(), true, SEEDING);
        SessionSettings now = torrents.sessionSettings();
        AltSpeed alt = now.altSpeed();
        String schedule = JsonFields.text(body, "altSpeedSchedule", SpeedSchedule.MAX_LENGTH);
        AltSpeed altChanged;
        try {
            altChanged = new AltSpeed(
                    JsonFields.integer(body, "altDownloadRateLimit", 0, SessionSettings.MAX_RATE, alt.downloadRateLimit()),
                    JsonFields.integer(body, "altUploadRateLimit", 0, SessionSettings.MAX_RATE, alt.uploadRateLimit()),
                    body.has("altSpeedEnabled") ? JsonFields.bool(body, "altSpeedEnabled") : alt.enabled(),
                    schedule == null ? alt.schedule() : SpeedSchedule.parse(schedule));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_field", "altSpeedSchedule: " + e.getMessage());
        }
        SessionSettings changed = new SessionSettings(
                JsonFields.integer(body, "downloadRateLimit", 0, SessionSettings.MAX_RATE, now.downloadRateLimit()),
                JsonFields.integer(body, "uploadRateLimit", 0, SessionSettings.MAX_RATE, now.uploadRateLimit()),
                (int) JsonFields.integer(body, "maxConnections", 1, SessionSettings.MAX_CONNECTIONS, now.maxConnections()),
                (int) JsonFields.integer(body, "maxConnectionsPerTorrent", 1, SessionSettings.MAX_CONNECTIONS,
                        now.maxConnectionsPerTorrent()),
                saveDirectory == null ? now.defaultSaveDirectory() : saveDirectory, altChanged);
        if (!changed.equals(now)) {
            torrents.updateSessionSettings(changed);
        }
        if (!goals.equals(torrents.seedingGoals())) {
            torrents.updateSeedingGoals(goals);
        }
        try {
            if (watch != null && !watch.equals(watchService.settings())) {
                watchService.update(watch);
            }
            if (encryption != null && !encryption.equals(network.encryption())) {
                network.updateEncryption(encryption);
            }
        } catch (IOException e) {
            throw new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "io_error", "cannot keep the settings: " + e.getMessage());
        }
        return JsonReply.ok(json(torrents));
    }

    /** The watch folder's settings with the fields given; null when none is. Checks the fields first, then whether it runs. */
    static WatchFolderSettings watchFolder(JsonNode body, WatchFolderService service) throws ApiException {
        if (!body.has(WATCH_DIRECTORY) && !body.has(WATCH_SAVE_DIRECTORY) && !body.has(WATCH_PAUSED)) {
            return null;
        }
        String directory = directoryOrEmpty(body, WATCH_DIRECTORY);
        String saveDirectory = directoryOrEmpty(body, WATCH_SAVE_DIRECTORY);
        Boolean paused = body.has(WATCH_PAUSED) ? JsonFields.bool(body, WATCH_PAUSED) : null;
        if (service == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the watch folder is not running");
        }
        WatchFolderSettings now = service.settings();
        return new WatchFolderSettings(directory == null ? now.watchDirectory() : directory,
                saveDirectory == null ? now.saveDirectory() : saveDirectory, paused == null ? now.paused() : paused);
    }

    /** An absolute directory, or "" for none; null when absent. */
    static String directoryOrEmpty(JsonNode body, String name) throws ApiException {
        String text = JsonFields.text(body, name, JsonFields.MAX_PATH_LENGTH);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            return "";
        }
        return JsonFields.absolutePath(name, text).toString();
    }

    /** The policy given, or null; 400 when not one of the four. */
    static String encryption(JsonNode body, NetworkService network) throws ApiException {
        String policy = JsonFields.text(body, ENCRYPTION, 16);
        if (policy == null) {
            return null;
        }
        if (!ENCRYPTION_POLICIES.contains(policy)) {
            throw ApiException.badRequest("bad_field", "encryption must be disabled, enabled, preferred or required");
        }
        if (network == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the peer wire is not running");
        }
        return policy;
    }

    /** The limits in force and the global seeding goals ({@code seedingRatioLimit} …). */
    private Map<String, Object> json(TorrentService torrents) {
        SessionSettings settings = torrents.sessionSettings();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("downloadRateLimit", settings.downloadRateLimit());
        json.put("uploadRateLimit", settings.uploadRateLimit());
        json.put("maxConnections", settings.maxConnections());
        json.put("maxConnectionsPerTorrent", settings.maxConnectionsPerTorrent());
        json.put("defaultSaveDirectory", settings.defaultSaveDirectory().toString());
        AltSpeed alt = settings.altSpeed();
        json.put("altDownloadRateLimit", alt.downloadRateLimit());
        json.put("altUploadRateLimit", alt.uploadRateLimit());
        json.put("altSpeedEnabled", alt.enabled());
        json.put("altSpeedSchedule", alt.schedule().toString());
        ZonedDateTime now = ZonedDateTime.now();
        json.put("altSpeedActive", alt.activeAt(now.getDayOfWeek(), now.toLocalTime()));
        OptionsJson.goals(torrents.seedingGoals()).forEach((key, value) -> json.put(OptionRoutes.name(SEEDING, key), value));
        WatchFolderService watch = engine.watchFolderOrNull();
        if (watch != null) {
            WatchFolderSettings folder = watch.settings();
            json.put(WATCH_DIRECTORY, folder.watchDirectory());
            json.put(WATCH_SAVE_DIRECTORY, folder.saveDirectory());
            json.put(WATCH_PAUSED, folder.paused());
        }
        NetworkService network = engine.networkOrNull();
        if (network != null) {
            json.put(ENCRYPTION, network.encryption());
        }
        return json;
    }
}
