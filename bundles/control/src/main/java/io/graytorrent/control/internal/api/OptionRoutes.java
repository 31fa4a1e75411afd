package io.graytorrent.control.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.json.OptionsJson;
import io.graytorrent.api.json.StatusJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonFields;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A torrent's piece order and own seeding goals ({@code GET/PATCH /api/v1/torrents/{id}/options}) and
 * moving its data ({@code POST /api/v1/torrents/{id}/move}, answered once the data is in place).
 */
public final class OptionRoutes {
    private static final Set<String> GOAL_FIELDS = Set.of(OptionsJson.RATIO, OptionsJson.TIME, OptionsJson.IDLE,
            OptionsJson.ACTION);

    private final EngineAccess engine;

    public OptionRoutes(EngineAccess engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        String one = "/api/v1/torrents/{}";
        router.add(HttpMethod.GET, one + "/options", Router.Access.SIGNED_IN, request -> {
            String ref = TorrentRoutes.checkedRef(request);
            return JsonReply.ok(view(engine.get(), ref, engine.get().options(ref)));
        })
                .add(HttpMethod.PATCH, one + "/options", Router.Access.SIGNED_IN, this::change)
                .add(HttpMethod.POST, one + "/move", Router.Access.SIGNED_IN, this::move);
    }

    private static Map<String, Object> view(TorrentService torrents, String ref, TorrentOptions options)
            throws TorrentException {
        Map<String, Object> json = OptionsJson.options(options);
        Map<String, Object> seeding = OptionsJson.seeding(torrents.seeding(ref));
        seeding.put("goals", OptionsJson.goals(options.seedingGoals().over(torrents.seedingGoals())));
        json.put("seeding", seeding);
        return json;
    }

    /** Changes the fields given, keeps the others. */
    private Reply change(ApiRequest request) throws ApiException, TorrentException {
        String ref = TorrentRoutes.checkedRef(request);
        JsonNode body = request.jsonObject();
        JsonFields.onlyKeys(body, Set.of("sequential", "firstLastPiecesFirst", "seedingGoals"));
        TorrentService torrents = engine.get();
        TorrentOptions now = torrents.options(ref);
        JsonNode goals = body.path("seedingGoals");
        SeedingGoals changedGoals = now.seedingGoals();
        if (!goals.isMissingNode()) {
            if (!goals.isObject()) {
                throw ApiException.badRequest("bad_field", "seedingGoals must be an object");
            }
            JsonFields.onlyKeys(goals, GOAL_FIELDS);
            changedGoals = goals(goals, now.seedingGoals(), false, "");
        }
        TorrentOptions changed = new TorrentOptions(
                body.has("sequential") ? JsonFields.bool(body, "sequential") : now.sequential(),
                body.has("firstLastPiecesFirst") ? JsonFields.bool(body, "firstLastPiecesFirst") : now.firstLastPiecesFirst(),
                changedGoals);
        return JsonReply.ok(view(torrents, ref, torrents.updateOptions(ref, changed)));
    }

    /**
     * Seeding goals from {@code json}'s fields named {@code prefix + key} (the key capitalised after a
     * prefix), the others from {@code now}; -1 and a null action only for one torrent's own goals.
     */
    static SeedingGoals goals(JsonNode json, SeedingGoals now, boolean global, String prefix) throws ApiException {
        long least = global ? 0 : SeedingGoals.GLOBAL;
        String ratioName = name(prefix, OptionsJson.RATIO);
        JsonNode ratio = json.get(ratioName);
        double ratioLimit = now.ratioLimit();
        if (ratio != null) {
            if (!ratio.isNumber() || !(ratio.asDouble() == least || (ratio.asDouble() >= 0
                    && ratio.asDouble() <= SeedingGoals.MAX_RATIO))) {
                throw ApiException.badRequest("bad_field", ratioName + " must be a number from 0 (none) to "
                        + (long) SeedingGoals.MAX_RATIO + (global ? "" : ", or -1 (global)"));
            }
            ratioLimit = ratio.asDouble();
        }
        long time = JsonFields.integer(json, name(prefix, OptionsJson.TIME), least, SeedingGoals.MAX_SECONDS,
                now.seedingTimeLimit());
        long idle = JsonFields.integer(json, name(prefix, OptionsJson.IDLE), least, SeedingGoals.MAX_SECONDS,
                now.idleLimit());
        String actionName = name(prefix, OptionsJson.ACTION);
        SeedingGoals.Action action = now.action();
        if (json.has(actionName)) {
            String text = JsonFields.text(json, actionName, 16);
            if (text == null && global) {
                throw ApiException.badRequest("bad_field", actionName + " must be \"stop\" or \"remove\"");
            }
            try {
                action = text == null ? null : SeedingGoals.Action.parse(text);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_field", actionName + " must be \"stop\" or \"remove\""
                        + (global ? "" : ", or null (global)"));
            }
        }
        return new SeedingGoals(ratioLimit, time, idle, action);
    }

    /**
     * {@code ratioLimit}, or with the prefix {@code seeding}: {@code seedingRatioLimit} ({@code seedingTimeLimit}
     * stays itself).
     */
    static String name(String prefix, String key) {
        return prefix.isEmpty() || key.startsWith(prefix) ? key
                : prefix + Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    private Reply move(ApiRequest request) throws ApiException, TorrentException {
        String ref = TorrentRoutes.checkedRef(request);
        JsonNode body = request.jsonObject();
        JsonFields.onlyKeys(body, Set.of("directory"));
        Path directory = JsonFields.absolutePath("directory", JsonFields.text(body, "directory", JsonFields.MAX_PATH_LENGTH));
        if (directory == null) {
            throw ApiException.badRequest("bad_field", "directory is required");
        }
        TorrentStatus moved;
        try {
            moved = engine.get().move(ref, directory).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TorrentException failed) {
                throw failed;
            }
            throw new TorrentException(TorrentException.Kind.FAILED, String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentException(TorrentException.Kind.FAILED, "interrupted while moving", e);
        }
        Map<String, Object> json = new LinkedHashMap<>(StatusJson.torrent(moved));
        return JsonReply.ok(json);
    }
}
