package io.graytorrent.core.internal.stall;

import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.peerwire.PeerConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a torrent's session sees at one moment, for {@link StallDiagnosis}.
 *
 * @param trackers     its trackers as the announce scheduler reports them
 * @param knownPeers   addresses it may dial (given by the user, the link, a tracker or a peer source)
 * @param dialFailures how the last dial of each known, unconnected peer failed
 * @param connected    connected peers
 * @param unchokingUs  connected peers that let us request
 * @param diskPaused   reading from peers is paused because the disk is behind
 * @param sources      the DHT and the web seeds
 * @param routeDown    why the configured network route sends nothing now (its interface is down), if so
 */
public record Situation(List<TrackerStatus> trackers, int knownPeers,
        Map<PeerConnectException.Reason, Integer> dialFailures, int connected, int unchokingUs, boolean diskPaused,
        Sources sources, Optional<String> routeDown) {
    public Situation {
        trackers = List.copyOf(trackers);
        dialFailures = Map.copyOf(dialFailures);
    }

    /** A public torrent with neither a DHT nor web seeds, its network route up. */
    public Situation(List<TrackerStatus> trackers, int knownPeers,
            Map<PeerConnectException.Reason, Integer> dialFailures, int connected, int unchokingUs, boolean diskPaused) {
        this(trackers, knownPeers, dialFailures, connected, unchokingUs, diskPaused, Sources.NONE, Optional.empty());
    }

    /** A situation with the network route up. */
    public Situation(List<TrackerStatus> trackers, int knownPeers,
            Map<PeerConnectException.Reason, Integer> dialFailures, int connected, int unchokingUs, boolean diskPaused,
            Sources sources) {
        this(trackers, knownPeers, dialFailures, connected, unchokingUs, diskPaused, sources, Optional.empty());
    }

    /**
     * Where else data or peers may come from.
     *
     * @param privateTorrent the torrent is private (BEP 27): the DHT is not asked
     * @param dht            the DHT node's status while the DHT plugin runs (empty for a private torrent)
     * @param dhtPeers       peers the DHT found for this torrent since it started
     * @param webSeeds       its web seeds (BEP 19), empty before the metadata is known
     */
    public record Sources(boolean privateTorrent, Optional<DhtStatus> dht, long dhtPeers, List<WebSeedStatus> webSeeds) {
        public static final Sources NONE = new Sources(false, Optional.empty(), 0, List.of());

        public Sources {
            webSeeds = List.copyOf(webSeeds);
        }

        Sources withoutWebSeeds() {
            return new Sources(privateTorrent, dht, dhtPeers, List.of());
        }
    }
}
