package io.graytorrent.control.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.api.AltSpeed;
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
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Totals over all torrents, and the engine's global limits read and changed at run time; GET also
 * says whether the alternative ("turtle") limits are in force now ({@code altSpeedActive}, read only).
 */
public final class SettingsRoutes {
    private static final String SEEDING = "seeding";
    private static final Set<String> SEEDING_FIELDS = Set.of(OptionRoutes.name(SEEDING, OptionsJson.RATIO),
            OptionRoutes.name(SEEDING, OptionsJson.TIME), OptionRoutes.name(SEEDING, OptionsJson.IDLE),
            OptionRoutes.name(SEEDING, OptionsJson.ACTION));
    private static final Set<String> FIELDS = Stream.concat(Stream.of("downloadRateLimit", "uploadRateLimit",
            "maxConnections", "maxConnectionsPerTorrent", "defaultSaveDirectory", "altDownloadRateLimit",
            "altUploadRateLimit", "altSpeedEnabled", "altSpeedSchedule"), SEEDING_FIELDS.stream())
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

    /** Changes the fields given, keeps the others. */
    private Reply update(ApiRequest request) throws ApiException, TorrentException {
        JsonNode body = request.jsonObject();
        JsonFields.onlyKeys(body, FIELDS);
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
        return JsonReply.ok(json(torrents));
    }

    /** The limits in force and the global seeding goals ({@code seedingRatioLimit} …). */
    private static Map<String, Object> json(TorrentService torrents) {
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
        return json;
    }
}
