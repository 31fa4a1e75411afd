package io.graytorrent.api;

import java.util.List;

/**
 * What the DHT node knows and has done, for {@code gray dht} and {@code /api/v1/dht}.
 *
 * @param nodeId           our node id, 40 hex digits
 * @param externalAddress  our address as the answering nodes agree on it (BEP 42), or "" while unknown
 * @param ipv4             the IPv4 routing table
 * @param ipv6             the IPv6 routing table (BEP 32)
 * @param storedInfoHashes infohashes other nodes announced to us
 * @param storedPeers      peers stored for them
 * @param torrents         running torrents the DHT looks up
 * @param lookupsRunning   lookups in progress
 * @param lookupsStarted   lookups started for torrents since the node started
 * @param packetsIn        datagrams received (not counting those ignored for their sender's rate)
 * @param packetsOut       datagrams sent
 * @param bytesOut         bytes sent
 * @param droppedIn        datagrams ignored because their sender's IP was over its rate
 * @param droppedOut       datagrams not sent because the outgoing rate was used up
 * @param malformedIn      datagrams that were no valid KRPC message
 * @param unexpectedIn     answers to no query of ours, or from another address than we asked
 * @param lookupsDone      lookups finished, of every kind (a torrent's, a refresh's, the bootstrap's)
 * @param announcesSent    announce_peer queries sent to the nodes closest to a torrent, after its lookups
 * @param announcesQueued  announces held back now, waiting for the outgoing rate
 * @param announcesGivenUp announces held back and then dropped: waited too long (their token may have expired), or
 *                         pushed out of the full queue
 */
public record DhtStatus(String nodeId, String externalAddress, Table ipv4, Table ipv6, int storedInfoHashes,
        int storedPeers, int torrents, int lookupsRunning, long lookupsStarted, long packetsIn, long packetsOut,
        long bytesOut, long droppedIn, long droppedOut, long malformedIn, long unexpectedIn, long lookupsDone,
        long announcesSent, int announcesQueued, long announcesGivenUp) {

    /** A status without the internal counters (each 0), as before they were reported. */
    public DhtStatus(String nodeId, String externalAddress, Table ipv4, Table ipv6, int storedInfoHashes,
            int storedPeers, int torrents, int lookupsRunning, long lookupsStarted, long packetsIn, long packetsOut,
            long bytesOut, long droppedIn, long droppedOut, long malformedIn) {
        this(nodeId, externalAddress, ipv4, ipv6, storedInfoHashes, storedPeers, torrents, lookupsRunning,
                lookupsStarted, packetsIn, packetsOut, bytesOut, droppedIn, droppedOut, malformedIn, 0, 0, 0, 0, 0);
    }

    /**
     * One routing table.
     *
     * @param nodes   live nodes
     * @param good    of those, the ones that answered in the last 15 minutes and have not failed since;
     *                the others are questionable
     * @param buckets live nodes per bucket, the farthest bucket first
     */
    public record Table(int nodes, int good, List<Integer> buckets) {
        public Table {
            buckets = List.copyOf(buckets);
        }

        public int questionable() {
            return nodes - good;
        }
    }
}
