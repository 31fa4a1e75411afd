package io.graytorrent.core.internal.stall;

import io.graytorrent.api.TrackerStatus;
import io.graytorrent.peerwire.PeerConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a torrent's session sees at one moment, for {@link StallDiagnosis}.
 *
 * @param trackers     its trackers as the announce scheduler reports them
 * @param knownPeers   addresses it may dial (given by the user, the link, or a tracker)
 * @param dialFailures how the last dial of each known, unconnected peer failed
 * @param connected    connected peers
 * @param unchokingUs  connected peers that let us request
 * @param diskPaused   reading from peers is paused because the disk is behind
 * @param routeDown    why the configured network route sends nothing now (its interface is down), if so
 */
public record Situation(List<TrackerStatus> trackers, int knownPeers,
        Map<PeerConnectException.Reason, Integer> dialFailures, int connected, int unchokingUs, boolean diskPaused,
        Optional<String> routeDown) {
    public Situation {
        trackers = List.copyOf(trackers);
        dialFailures = Map.copyOf(dialFailures);
    }

    /** A situation with the network route up. */
    public Situation(List<TrackerStatus> trackers, int knownPeers, Map<PeerConnectException.Reason, Integer> dialFailures,
            int connected, int unchokingUs, boolean diskPaused) {
        this(trackers, knownPeers, dialFailures, connected, unchokingUs, diskPaused, Optional.empty());
    }
}
