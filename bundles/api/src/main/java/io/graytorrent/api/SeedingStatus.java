package io.graytorrent.api;

/**
 * Where a torrent stands against its seeding goals.
 *
 * @param goals          its goals with the global ones filled in
 * @param ratio          uploaded / downloaded (or / its wanted size, when it downloaded nothing)
 * @param seedingSeconds time spent seeding, across restarts
 * @param idleSeconds    time since it last uploaded while seeding (0 when not seeding)
 */
public record SeedingStatus(SeedingGoals goals, double ratio, long seedingSeconds, long idleSeconds) {
}
