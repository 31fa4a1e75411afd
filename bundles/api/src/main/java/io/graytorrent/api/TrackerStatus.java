package io.graytorrent.api;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One tracker of a torrent as its announce scheduler sees it.
 *
 * @param tier          BEP 12 tier, 0 first
 * @param status        what the tracker is doing: "idle", "announcing", "working", "failed",
 *                      "no client for scheme udp", ...
 * @param lastError     the last failure reason, kept after later successes until the next failure replaces it
 */
public record TrackerStatus(String url, int tier, String status, Optional<Instant> lastAnnounce,
        Optional<Instant> nextAnnounce, OptionalInt seeders, OptionalInt leechers, Optional<String> lastError) {
}
