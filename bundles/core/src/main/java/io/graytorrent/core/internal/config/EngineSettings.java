package io.graytorrent.core.internal.config;

import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * How the engine behaves; the plain-Java form of {@link EngineConfiguration}. Rates are bytes per
 * second, 0 meaning unlimited.
 */
public record EngineSettings(int maxConnections, int maxConnectionsPerTorrent, long downloadRateLimit, long uploadRateLimit,
        long torrentDownloadRateLimit, long torrentUploadRateLimit, int maxActiveDownloads, int maxActiveSeeds,
        int banThreshold, Duration chokeInterval, Duration optimisticRotation, Duration checkpointInterval,
        Path defaultSaveDirectory, int maxMetadataSize, long maxBufferedPieceBytes, Duration stallAfter, AltSpeed altSpeed) {
    static final int DEFAULT_MAX_METADATA_SIZE = 4 * 1024 * 1024;
    static final long DEFAULT_MAX_BUFFERED_PIECE_BYTES = 64L << 20;
    static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(30);

    public EngineSettings {
        if (maxConnections < 1 || maxConnectionsPerTorrent < 1 || maxActiveDownloads < 1 || maxActiveSeeds < 1
                || banThreshold < 1 || downloadRateLimit < 0 || uploadRateLimit < 0 || torrentDownloadRateLimit < 0
                || torrentUploadRateLimit < 0 || chokeInterval.isNegative() || chokeInterval.isZero()
                || optimisticRotation.isNegative() || optimisticRotation.isZero() || checkpointInterval.isNegative()
                || checkpointInterval.isZero() || maxMetadataSize < 1 || maxBufferedPieceBytes < 0
                || stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("engine settings out of range");
        }
        if (altSpeed == null) {
            throw new IllegalArgumentException("altSpeed must be given");
        }
    }

    /** Without alternative ("turtle") limits. */
    public EngineSettings(int maxConnections, int maxConnectionsPerTorrent, long downloadRateLimit, long uploadRateLimit,
            long torrentDownloadRateLimit, long torrentUploadRateLimit, int maxActiveDownloads, int maxActiveSeeds,
            int banThreshold, Duration chokeInterval, Duration optimisticRotation, Duration checkpointInterval,
            Path defaultSaveDirectory, int maxMetadataSize, long maxBufferedPieceBytes, Duration stallAfter) {
        this(maxConnections, maxConnectionsPerTorrent, downloadRateLimit, uploadRateLimit, torrentDownloadRateLimit,
                torrentUploadRateLimit, maxActiveDownloads, maxActiveSeeds, banThreshold, chokeInterval, optimisticRotation,
                checkpointInterval, defaultSaveDirectory, maxMetadataSize, maxBufferedPieceBytes, stallAfter, AltSpeed.OFF);
    }

    /** The configuration's defaults, saving to {@code saveDirectory}. */
    public static EngineSettings defaults(Path saveDirectory) {
        return new EngineSettings(200, 50, 0, 0, 0, 0, 5, 10, 3, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), saveDirectory, DEFAULT_MAX_METADATA_SIZE,
                DEFAULT_MAX_BUFFERED_PIECE_BYTES, DEFAULT_STALL_AFTER);
    }

    public static EngineSettings from(EngineConfiguration config, Path home) {
        Path save = config.defaultSaveDirectory().isBlank() ? home.resolve("downloads") : Path.of(config.defaultSaveDirectory());
        return new EngineSettings(config.maxConnections(), config.maxConnectionsPerTorrent(), config.downloadRateLimit(),
                config.uploadRateLimit(), config.torrentDownloadRateLimit(), config.torrentUploadRateLimit(),
                config.maxActiveDownloads(), config.maxActiveSeeds(), config.banThreshold(),
                Duration.ofSeconds(config.chokeIntervalSeconds()), Duration.ofSeconds(config.optimisticRotationSeconds()),
                Duration.ofSeconds(config.checkpointIntervalSeconds()), save, config.maxMetadataSize(),
                config.maxBufferedPieceBytes(), Duration.ofSeconds(config.stallSeconds()),
                new AltSpeed(config.altDownloadRateLimit(), config.altUploadRateLimit(), config.altSpeedEnabled(),
                        schedule(config.altSpeedSchedule())));
    }

    /** The .cfg's schedule; one that cannot be read is logged and taken as none, so the engine still starts. */
    public static SpeedSchedule schedule(String text) {
        try {
            return SpeedSchedule.parse(text);
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(EngineSettings.class).warn("ignoring altSpeedSchedule in io.graytorrent.core: {}", e.getMessage());
            return SpeedSchedule.NONE;
        }
    }

    /** The part that may change while the engine runs. */
    public SessionSettings session() {
        return new SessionSettings(downloadRateLimit, uploadRateLimit, maxConnections, maxConnectionsPerTorrent,
                defaultSaveDirectory.toAbsolutePath(), altSpeed);
    }

    public EngineSettings with(SessionSettings session) {
        return new EngineSettings(session.maxConnections(), session.maxConnectionsPerTorrent(),
                session.downloadRateLimit(), session.uploadRateLimit(), torrentDownloadRateLimit, torrentUploadRateLimit,
                maxActiveDownloads, maxActiveSeeds, banThreshold, chokeInterval, optimisticRotation, checkpointInterval,
                session.defaultSaveDirectory(), maxMetadataSize, maxBufferedPieceBytes, stallAfter, session.altSpeed());
    }
}
