package io.graytorrent.api;

import java.util.List;

/**
 * What the IP blocklist holds and has refused, for {@code gray blocklist} and {@code /api/v1/blocklist}.
 *
 * @param sources      the configured files and http(s) URLs, in order
 * @param ipv4Ranges   IPv4 ranges in force, after merging overlapping and adjacent ones
 * @param ipv6Ranges   IPv6 ranges in force, merged likewise
 * @param loadedAt     when the list in force was loaded, ISO-8601 UTC, or "" before a first load
 * @param linesRead    lines read by that load
 * @param linesSkipped of those, lines that were no valid range (counted, not fatal)
 * @param lastError    why the last load failed (the list before it stays in force), or "" if it did not
 * @param refused      peers refused for the list since the engine started: candidates not dialled and
 *                     incoming connections closed
 */
public record BlocklistStatus(List<String> sources, int ipv4Ranges, int ipv6Ranges, String loadedAt, long linesRead,
        long linesSkipped, String lastError, long refused) {
    public BlocklistStatus {
        sources = List.copyOf(sources);
    }
}
