package io.graytorrent.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tracker's successful announce reply.
 *
 * @param interval    how long to wait before the next regular announce
 * @param minInterval the least time between announces, when the tracker says
 * @param peers       IPv4 and IPv6 peers, resolved, ports 1..65535
 * @param seeders     {@code complete}, when given
 * @param leechers    {@code incomplete}, when given
 * @param warning     the tracker's {@code warning message}
 * @param trackerId   a {@code tracker id} to send back next time
 * @param externalIp  {@code external ip} (BEP 24): our address as the tracker sees it
 */
public record AnnounceResponse(Duration interval, Optional<Duration> minInterval, List<InetSocketAddress> peers,
        OptionalInt seeders, OptionalInt leechers, Optional<String> warning, Optional<String> trackerId,
        Optional<InetAddress> externalIp) {

    public AnnounceResponse {
        peers = List.copyOf(peers);
    }

    /** A reply that does not say how the tracker sees us (UDP trackers never do). */
    public AnnounceResponse(Duration interval, Optional<Duration> minInterval, List<InetSocketAddress> peers,
            OptionalInt seeders, OptionalInt leechers, Optional<String> warning, Optional<String> trackerId) {
        this(interval, minInterval, peers, seeders, leechers, warning, trackerId, Optional.empty());
    }
}
