package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.peerwire.PeerWireSettings;
import java.nio.file.Path;
import java.time.Duration;

/** Engine and peer wire settings for tests: the defaults with a few limits changed. */
final class TestSettings {
    private TestSettings() {
    }

    static EngineSettings with(Path downloads, int maxDownloads, long torrentDownloadRate, long globalUploadRate,
            Duration checkpointInterval) {
        EngineSettings d = EngineSettings.defaults(downloads);
        return new EngineSettings(d.maxConnections(), d.maxConnectionsPerTorrent(), 0, globalUploadRate,
                torrentDownloadRate, 0, maxDownloads, d.maxActiveSeeds(), d.banThreshold(), d.chokeInterval(),
                d.optimisticRotation(), checkpointInterval, downloads, d.maxMetadataSize(),
                d.maxBufferedPieceBytes(), d.stallAfter());
    }

    static EngineSettings withConnectionsPerTorrent(Path downloads, int maxConnectionsPerTorrent) {
        EngineSettings d = EngineSettings.defaults(downloads);
        return new EngineSettings(d.maxConnections(), maxConnectionsPerTorrent, 0, 0, 0, 0, d.maxActiveDownloads(),
                d.maxActiveSeeds(), d.banThreshold(), d.chokeInterval(), d.optimisticRotation(), d.checkpointInterval(),
                downloads, d.maxMetadataSize(),
                d.maxBufferedPieceBytes(), d.stallAfter());
    }

    static EngineSettings withBanThreshold(Path downloads, int banThreshold) {
        EngineSettings d = EngineSettings.defaults(downloads);
        return new EngineSettings(d.maxConnections(), d.maxConnectionsPerTorrent(), 0, 0, 0, 0, d.maxActiveDownloads(),
                d.maxActiveSeeds(), banThreshold, d.chokeInterval(), d.optimisticRotation(), d.checkpointInterval(),
                downloads, d.maxMetadataSize(),
                d.maxBufferedPieceBytes(), d.stallAfter());
    }

    /** The peer wire on 127.0.0.1:{@code port} exactly (0: any free port), with the given handshake timeout. */
    static PeerWireSettings wireOn(int port, Duration handshakeTimeout) {
        PeerWireSettings d = PeerWireSettings.defaults();
        return new PeerWireSettings("127.0.0.1", port, 0, d.connectTimeout(), handshakeTimeout, d.idleTimeout(),
                d.keepAliveInterval(), d.maxHalfOpen(), d.maxExtendedPayload(), d.requestQueueLength(),
                d.clientName(), 0);
    }
}
