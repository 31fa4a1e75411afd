package io.graytorrent.api.json;

import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.SeedingStatus;
import io.graytorrent.api.TorrentOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A torrent's options and seeding goals as JSON values (docs/api.md): limits in seconds and ratios as
 * numbers, 0 for no limit, -1 (a torrent's own goals only) for "follow the global goal"; the action
 * {@code "stop"}, {@code "remove"}, or null (follow the global action).
 */
public final class OptionsJson {
    /** The keys of {@link #goals}, as the settings (with a {@code seeding} prefix) and a torrent's options take them. */
    public static final String RATIO = "ratioLimit";
    public static final String TIME = "seedingTimeLimit";
    public static final String IDLE = "idleLimit";
    public static final String ACTION = "action";

    private OptionsJson() {
    }

    public static Map<String, Object> goals(SeedingGoals goals) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(RATIO, goals.ratioLimit());
        json.put(TIME, goals.seedingTimeLimit());
        json.put(IDLE, goals.idleLimit());
        json.put(ACTION, goals.action() == null ? null : goals.action().toString());
        return json;
    }

    public static Map<String, Object> options(TorrentOptions options) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sequential", options.sequential());
        json.put("firstLastPiecesFirst", options.firstLastPiecesFirst());
        json.put("seedingGoals", goals(options.seedingGoals()));
        return json;
    }

    /** Where the torrent stands: the goals in force, its ratio, its seeding and idle seconds. */
    public static Map<String, Object> seeding(SeedingStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("goals", goals(status.goals()));
        json.put("ratio", Math.round(status.ratio() * 1000) / 1000.0);
        json.put("seedingSeconds", status.seedingSeconds());
        json.put("idleSeconds", status.idleSeconds());
        return json;
    }
}
