package io.graytorrent.api;

import java.nio.file.Path;

/**
 * The engine's global limits that can change while it runs. Rates are bytes per second, 0 meaning
 * unlimited.
 *
 * @param downloadRateLimit        download limit across all torrents
 * @param uploadRateLimit          upload limit across all torrents
 * @param maxConnections           peer connections across all torrents
 * @param maxConnectionsPerTorrent peer connections of each torrent
 * @param defaultSaveDirectory     where added torrents go when no directory is given; absolute
 * @param altSpeed                 the alternative ("turtle") limits, their switch and schedule
 */
public record SessionSettings(long downloadRateLimit, long uploadRateLimit, int maxConnections,
        int maxConnectionsPerTorrent, Path defaultSaveDirectory, AltSpeed altSpeed) {
    /** 1 TiB/s: far above any link, low enough that rate arithmetic cannot overflow. */
    public static final long MAX_RATE = 1L << 40;
    public static final int MAX_CONNECTIONS = 65_535;

    public SessionSettings {
        checkRate("downloadRateLimit", downloadRateLimit);
        checkRate("uploadRateLimit", uploadRateLimit);
        checkConnections("maxConnections", maxConnections);
        checkConnections("maxConnectionsPerTorrent", maxConnectionsPerTorrent);
        if (defaultSaveDirectory == null || !defaultSaveDirectory.isAbsolute()) {
            throw new IllegalArgumentException("defaultSaveDirectory must be an absolute path");
        }
        if (altSpeed == null) {
            throw new IllegalArgumentException("altSpeed must be given");
        }
    }

    /** Without alternative limits. */
    public SessionSettings(long downloadRateLimit, long uploadRateLimit, int maxConnections, int maxConnectionsPerTorrent,
            Path defaultSaveDirectory) {
        this(downloadRateLimit, uploadRateLimit, maxConnections, maxConnectionsPerTorrent, defaultSaveDirectory, AltSpeed.OFF);
    }

    /** The download limit in force at this time of the week: the alternative one while that is on. */
    public long downloadRateLimitAt(java.time.DayOfWeek day, java.time.LocalTime time) {
        return altSpeed.activeAt(day, time) ? altSpeed.downloadRateLimit() : downloadRateLimit;
    }

    /** The upload limit in force at this time of the week: the alternative one while that is on. */
    public long uploadRateLimitAt(java.time.DayOfWeek day, java.time.LocalTime time) {
        return altSpeed.activeAt(day, time) ? altSpeed.uploadRateLimit() : uploadRateLimit;
    }

    static void checkRate(String name, long rate) {
        if (rate < 0 || rate > MAX_RATE) {
            throw new IllegalArgumentException(name + " must be 0 (unlimited) to " + MAX_RATE + " bytes/s");
        }
    }

    private static void checkConnections(String name, int count) {
        if (count < 1 || count > MAX_CONNECTIONS) {
            throw new IllegalArgumentException(name + " must be 1 to " + MAX_CONNECTIONS);
        }
    }
}
