package io.graytorrent.api;

import java.util.Optional;

/**
 * One web seed of a running torrent: a BEP 19 {@code url-list} server or a BEP 17 {@code httpseeds} one.
 *
 * @param url          the seed's URL as the torrent names it
 * @param state        {@code downloading}, {@code idle} (nothing it holds is wanted now), {@code backing off}
 *                     (after a failure, until it is tried again) or {@code dropped} (for this session, after
 *                     pieces failed their hash check or the server broke the protocol)
 * @param downloadRate bytes per second received from it
 * @param downloaded   bytes received from it this session
 * @param lastError    the last thing that went wrong with it
 * @param kind         {@link #URL_LIST} (BEP 19: range requests on the files) or {@link #HTTP_SEED} (BEP 17:
 *                     {@code ?info_hash=&piece=&ranges=} requests)
 */
public record WebSeedStatus(String url, String state, long downloadRate, long downloaded, Optional<String> lastError,
        String kind) {
    public static final String URL_LIST = "url-list";
    public static final String HTTP_SEED = "httpseed";

    /** A BEP 19 ({@code url-list}) seed. */
    public WebSeedStatus(String url, String state, long downloadRate, long downloaded, Optional<String> lastError) {
        this(url, state, downloadRate, downloaded, lastError, URL_LIST);
    }
}
