package io.graytorrent.dht.internal;

import java.time.Duration;

/**
 * The tunables of one {@link DhtNode}.
 *
 * @param parallelism        queries in flight per lookup (BEP 5 suggests 3)
 * @param softTimeout        after which a query's lookup slot goes to another node
 * @param hardTimeout        after which a query failed
 * @param maxPending         outstanding queries at most; more are refused until some finish
 * @param maxLookups         lookups running at once
 * @param outBytesPerSecond  outgoing rate (token bucket); libtorrent's default is 8000
 * @param outBurstBytes      outgoing burst
 * @param inPerIpPerSecond   datagrams an IP may send us per second before it is ignored
 * @param inPerIpBurst       datagrams an IP may send in a burst
 * @param inBlock            how long an IP over its rate is ignored
 * @param maxPeersPerInfoHash stored peers per infohash
 * @param maxInfoHashes      stored infohashes
 */
public record DhtSettings(int parallelism, Duration softTimeout, Duration hardTimeout, int maxPending, int maxLookups,
        int outBytesPerSecond, int outBurstBytes, int inPerIpPerSecond, int inPerIpBurst, Duration inBlock,
        int maxPeersPerInfoHash, int maxInfoHashes) {

    public static final DhtSettings DEFAULT = new DhtSettings(4, Duration.ofSeconds(2), Duration.ofSeconds(8), 256,
            16, 8000, 16000, 20, 60, Duration.ofMinutes(1), 100, 5000);

    public DhtSettings {
        if (parallelism < 1 || maxPending < 1 || maxLookups < 1 || outBytesPerSecond < 1 || inPerIpPerSecond < 1
                || maxPeersPerInfoHash < 1 || maxInfoHashes < 1 || softTimeout.compareTo(hardTimeout) > 0) {
            throw new IllegalArgumentException("invalid DHT settings");
        }
    }

    /** The defaults with the limits a user may configure. */
    static DhtSettings configured(DhtConfiguration config) {
        DhtSettings d = DEFAULT;
        return new DhtSettings(d.parallelism, d.softTimeout, d.hardTimeout, d.maxPending, d.maxLookups,
                config.outBytesPerSecond(), 2 * config.outBytesPerSecond(), config.inPerIpPerSecond(),
                3 * config.inPerIpPerSecond(), d.inBlock, config.maxPeersPerInfoHash(), config.maxInfoHashes());
    }

    public DhtSettings withParallelism(int queriesInFlight) {
        return new DhtSettings(queriesInFlight, softTimeout, hardTimeout, maxPending, maxLookups, outBytesPerSecond,
                outBurstBytes, inPerIpPerSecond, inPerIpBurst, inBlock, maxPeersPerInfoHash, maxInfoHashes);
    }
}
