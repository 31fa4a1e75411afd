package io.graytorrent.api;

import java.util.Locale;

/**
 * When a seeding torrent has done enough: a share ratio (uploaded / downloaded, or / size when it
 * downloaded nothing), a time spent seeding, a time without uploading while seeding, and what then
 * happens to it. Each limit is {@link #NONE} (no limit), a positive value, or, for one torrent's own
 * goals only, {@link #GLOBAL} (follow the global goal); likewise a null {@code action} follows the
 * global action. The global goals never hold {@link #GLOBAL} or a null action.
 *
 * @param ratioLimit        stop at this ratio
 * @param seedingTimeLimit  stop after this many seconds of seeding (counted across restarts)
 * @param idleLimit         stop after this many seconds of seeding with nothing uploaded
 * @param action            what happens when a limit is reached
 */
public record SeedingGoals(double ratioLimit, long seedingTimeLimit, long idleLimit, Action action) {
    /** The limit does not apply. */
    public static final int NONE = 0;
    /** One torrent's limit that follows the global one. */
    public static final int GLOBAL = -1;
    /** Far above any ratio anyone sets; keeps arithmetic and storage (thousandths in a long) exact. */
    public static final double MAX_RATIO = 1_000_000;
    /** Ten years, in seconds. */
    public static final long MAX_SECONDS = 10L * 366 * 24 * 3600;
    /** No global goal: seed until told otherwise (the default). */
    public static final SeedingGoals UNLIMITED = new SeedingGoals(NONE, NONE, NONE, Action.STOP);
    /** A torrent following every global goal (the default for a torrent). */
    public static final SeedingGoals FOLLOW_GLOBAL = new SeedingGoals(GLOBAL, GLOBAL, GLOBAL, null);

    /** What happens to a torrent that reached one of its seeding goals. */
    public enum Action {
        /** It stops (and can be started again, when it seeds on until the goal is raised). */
        STOP,
        /** It is removed, its data kept. */
        REMOVE;

        /** "stop" or "remove", any case. */
        public static Action parse(String text) {
            for (Action action : values()) {
                if (action.name().equalsIgnoreCase(text.strip())) {
                    return action;
                }
            }
            throw new IllegalArgumentException("the action must be stop or remove, not " + text);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SeedingGoals {
        if (!(ratioLimit == GLOBAL || (ratioLimit >= 0 && ratioLimit <= MAX_RATIO))) {
            throw new IllegalArgumentException("the ratio limit must be 0 (none) to " + (long) MAX_RATIO + ", or -1 (global)");
        }
        checkSeconds("seeding time limit", seedingTimeLimit);
        checkSeconds("idle limit", idleLimit);
    }

    private static void checkSeconds(String name, long seconds) {
        if (seconds < GLOBAL || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("the " + name + " must be 0 (none) to " + MAX_SECONDS
                    + " seconds, or -1 (global)");
        }
    }

    /** True when nothing follows a global goal: what global goals must be. */
    public boolean isComplete() {
        return ratioLimit != GLOBAL && seedingTimeLimit != GLOBAL && idleLimit != GLOBAL && action != null;
    }

    /** These goals with each {@link #GLOBAL} limit and a null action taken from {@code global}. */
    public SeedingGoals over(SeedingGoals global) {
        return new SeedingGoals(ratioLimit == GLOBAL ? global.ratioLimit() : ratioLimit,
                seedingTimeLimit == GLOBAL ? global.seedingTimeLimit() : seedingTimeLimit,
                idleLimit == GLOBAL ? global.idleLimit() : idleLimit, action == null ? global.action() : action);
    }

    /**
     * Which goal these (complete) goals say is reached, if any: "ratio 2.00 reached", or null.
     *
     * @param ratio          the torrent's share ratio now
     * @param seedingSeconds how long it has seeded
     * @param idleSeconds    how long it has seeded with nothing uploaded
     */
    public String reached(double ratio, long seedingSeconds, long idleSeconds) {
        if (ratioLimit > 0 && ratio >= ratioLimit) {
            return String.format(Locale.ROOT, "ratio %.2f reached (limit %.2f)", ratio, ratioLimit);
        }
        if (seedingTimeLimit > 0 && seedingSeconds >= seedingTimeLimit) {
            return "seeded " + seedingSeconds + " s (limit " + seedingTimeLimit + " s)";
        }
        if (idleLimit > 0 && idleSeconds >= idleLimit) {
            return "idle " + idleSeconds + " s while seeding (limit " + idleLimit + " s)";
        }
        return null;
    }
}
