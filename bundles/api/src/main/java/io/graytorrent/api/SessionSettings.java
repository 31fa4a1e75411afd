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
 */
public record SessionSettings(long downloadRateLimit, long uploadRateLimit, int maxConnections,
        int maxConnectionsPerTorrent, Path defaultSaveDirectory) {
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
    }

    private static void checkRate(String name, long rate) {
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
