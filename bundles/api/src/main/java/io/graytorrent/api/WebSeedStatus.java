package io.graytorrent.api;

import java.util.Optional;

/**
 * One web seed (BEP 19) of a running torrent.
 *
 * @param url          the seed's URL as the torrent names it
 * @param state        {@code downloading}, {@code idle} (nothing it holds is wanted now), {@code backing off}
 *                     (after a failure, until it is tried again) or {@code dropped} (for this session, after
 *                     pieces failed their hash check or the server broke the protocol)
 * @param downloadRate bytes per second received from it
 * @param downloaded   bytes received from it this session
 * @param lastError    the last thing that went wrong with it
 */
public record WebSeedStatus(String url, String state, long downloadRate, long downloaded, Optional<String> lastError) {
}
