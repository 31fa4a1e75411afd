package io.graytorrent.api;

import java.util.Objects;

/**
 * How one torrent is downloaded and seeded, beyond its files' priorities; kept across restarts.
 *
 * @param sequential           new pieces in index order (streaming) instead of rarest first; the
 *                             endgame still applies
 * @param firstLastPiecesFirst the first and last piece of each wanted file before the others (a
 *                             player reads a file's head and tail first), the rest as usual
 * @param seedingGoals         its own seeding goals, {@link SeedingGoals#FOLLOW_GLOBAL} by default
 */
public record TorrentOptions(boolean sequential, boolean firstLastPiecesFirst, SeedingGoals seedingGoals) {
    public static final TorrentOptions DEFAULTS = new TorrentOptions(false, false, SeedingGoals.FOLLOW_GLOBAL);

    public TorrentOptions {
        Objects.requireNonNull(seedingGoals, "seedingGoals");
    }

    public TorrentOptions withSeedingGoals(SeedingGoals goals) {
        return new TorrentOptions(sequential, firstLastPiecesFirst, goals);
    }
}
