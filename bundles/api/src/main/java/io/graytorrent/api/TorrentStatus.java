package io.graytorrent.api;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of one managed torrent, for listings and the user interface. Sizes are 64-bit.
 *
 * @param id            stable small number, never reused, kept across restarts
 * @param infoHash      the infohash the torrent is known by: its v1 infohash, or for a v2-only torrent (BEP 52) the
 *                      first 20 bytes of its v2 infohash, as the wire, trackers and the DHT use it
 * @param name          the torrent's name
 * @param savePath      the directory the torrent's files live in (a multi-file torrent adds its name)
 * @param state         where it is in its life
 * @param totalBytes    the size of all files (padding excluded)
 * @param wantedBytes   the size of the files not skipped
 * @param verifiedBytes bytes of wanted files in verified pieces
 * @param downloadRate  bytes per second of payload, recent average
 * @param uploadRate    bytes per second of payload, recent average
 * @param downloaded    payload bytes received this session and before (persisted)
 * @param uploaded      payload bytes sent this session and before (persisted)
 * @param peers         connected peers
 * @param seeds         connected peers that have every piece
 * @param eta           seconds until complete at the current rate; empty when unknown or done
 * @param error         why the torrent is in {@link TorrentState#ERROR}, or a peer-independent warning
 * @param stall         why it has made no progress for a while, while it downloads or fetches metadata
 * @param peersBySource connected peers by where the engine learnt of them; every origin is a key
 * @param webSeeds      web seeds (BEP 19) in use: not dropped for the session
 * @param infoHashV2    the full v2 infohash (64 hex digits) of a v2-only or hybrid torrent; empty for a v1
 *                      torrent and while a magnet link's metadata is unknown
 */
public record TorrentStatus(
        int id,
        InfoHash infoHash,
        String name,
        Path savePath,
        TorrentState state,
        long totalBytes,
        long wantedBytes,
        long verifiedBytes,
        long downloadRate,
        long uploadRate,
        long downloaded,
        long uploaded,
        int peers,
        int seeds,
        OptionalLong eta,
        Optional<String> error,
        Optional<Stall> stall,
        Map<PeerOrigin, Integer> peersBySource,
        int webSeeds,
        Optional<String> infoHashV2) {

    public TorrentStatus {
        Map<PeerOrigin, Integer> counts = new EnumMap<>(PeerOrigin.class);
        for (PeerOrigin origin : PeerOrigin.values()) {
            counts.put(origin, peersBySource.getOrDefault(origin, 0));
        }
        peersBySource = Collections.unmodifiableMap(counts);
    }

    /** A status of a torrent without a v2 infohash (BEP 52). */
    public TorrentStatus(int id, InfoHash infoHash, String name, Path savePath, TorrentState state, long totalBytes,
            long wantedBytes, long verifiedBytes, long downloadRate, long uploadRate, long downloaded, long uploaded,
            int peers, int seeds, OptionalLong eta, Optional<String> error, Optional<Stall> stall,
            Map<PeerOrigin, Integer> peersBySource, int webSeeds) {
        this(id, infoHash, name, savePath, state, totalBytes, wantedBytes, verifiedBytes, downloadRate, uploadRate,
                downloaded, uploaded, peers, seeds, eta, error, stall, peersBySource, webSeeds, Optional.empty());
    }

    /** A status whose peers are not counted by source, with no web seed in use. */
    public TorrentStatus(int id, InfoHash infoHash, String name, Path savePath, TorrentState state, long totalBytes,
            long wantedBytes, long verifiedBytes, long downloadRate, long uploadRate, long downloaded, long uploaded,
            int peers, int seeds, OptionalLong eta, Optional<String> error, Optional<Stall> stall) {
        this(id, infoHash, name, savePath, state, totalBytes, wantedBytes, verifiedBytes, downloadRate, uploadRate,
                downloaded, uploaded, peers, seeds, eta, error, stall, Map.of(), 0);
    }

    /** How many of {@code peers} came from each source. */
    public static Map<PeerOrigin, Integer> countBySource(Collection<PeerStatus> peers) {
        Map<PeerOrigin, Integer> counts = new EnumMap<>(PeerOrigin.class);
        peers.forEach(peer -> counts.merge(peer.source(), 1, Integer::sum));
        return counts;
    }

    /** A status with no stall diagnosis. */
    public TorrentStatus(int id, InfoHash infoHash, String name, Path savePath, TorrentState state, long totalBytes,
            long wantedBytes, long verifiedBytes, long downloadRate, long uploadRate, long downloaded, long uploaded,
            int peers, int seeds, OptionalLong eta, Optional<String> error) {
        this(id, infoHash, name, savePath, state, totalBytes, wantedBytes, verifiedBytes, downloadRate, uploadRate,
                downloaded, uploaded, peers, seeds, eta, error, Optional.empty());
    }

    /**
     * Verified share of the wanted bytes, 0 to 1: 1 when every file is skipped, 0 while the size is
     * unknown (a magnet link before its metadata; no torrent's metadata describes an empty one).
     */
    public double progress() {
        if (totalBytes == 0) {
            return 0;
        }
        return wantedBytes == 0 ? 1.0 : (double) verifiedBytes / wantedBytes;
    }

    /** Uploaded bytes over the torrent's size (the common definition of share ratio). */
    public double ratio() {
        return totalBytes == 0 ? 0 : (double) uploaded / totalBytes;
    }

    public boolean isComplete() {
        return verifiedBytes == wantedBytes;
    }
}
