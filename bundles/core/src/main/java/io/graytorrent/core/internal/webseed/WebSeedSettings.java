package io.graytorrent.core.internal.webseed;

import java.time.Duration;

/**
 * The bounds of a web seed.
 *
 * @param connections  range requests in flight at once to one seed (each on its own persistent connection)
 * @param runBytes     bytes one request asks for at most (whole pieces, at least one)
 * @param idleTimeout  how long a request may go without a byte (headers included) before it is aborted
 * @param minRate      bytes per second below which a request is aborted, measured over the whole request
 *                     after {@code idleTimeout}; bounds slow-loris servers
 * @param maxStrikes   failed pieces or protocol violations after which the seed is dropped for the session
 * @param firstBackoff the wait after the first failure in a row, doubling up to {@code maxBackoff}
 * @param maxBackoff   the longest wait, also the cap on a server's {@code Retry-After}
 */
public record WebSeedSettings(int connections, long runBytes, Duration idleTimeout, long minRate, int maxStrikes,
        Duration firstBackoff, Duration maxBackoff) {

    public static final WebSeedSettings DEFAULTS = new WebSeedSettings(2, 4L << 20, Duration.ofSeconds(20), 2048, 3,
            Duration.ofSeconds(5), Duration.ofMinutes(10));
}
