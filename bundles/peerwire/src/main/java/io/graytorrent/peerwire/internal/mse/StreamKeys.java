package io.graytorrent.peerwire.internal.mse;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.TorrentLookup;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the torrent an encrypted incoming connection asks for from HASH('req2', SKEY): each
 * running torrent's req2 hash is computed once and kept in a map, so a lookup costs one map probe;
 * only a miss looks for torrents added since, hashing just those. A torrent found here must still be
 * running by {@link TorrentLookup#find}, so stale entries never route a connection.
 */
public final class StreamKeys {
    private final TorrentLookup torrents;
    private final Map<InfoHash, ByteBuffer> hashed = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, InfoHash> byReq2 = new ConcurrentHashMap<>();

    public StreamKeys(TorrentLookup torrents) {
        this.torrents = torrents;
    }

    /**
     * The infohash, of a running torrent, whose HASH('req2', infohash) is {@code req2}: the stream key, which for a
     * hybrid may be its v2 hash rather than the endpoint's own (BEP 52: reachable under both).
     */
    Optional<InfoHash> find(byte[] req2) {
        ByteBuffer key = ByteBuffer.wrap(req2.clone());
        InfoHash infoHash = byReq2.get(key);
        if (infoHash == null) {
            hashNewTorrents();
            infoHash = byReq2.get(key);
        }
        return infoHash == null || torrents.find(infoHash).isEmpty() ? Optional.empty() : Optional.of(infoHash);
    }

    private void hashNewTorrents() {
        for (InfoHash infoHash : torrents.infoHashes()) {
            if (!hashed.containsKey(infoHash)) {
                ByteBuffer req2 = ByteBuffer.wrap(MseHashes.req2(infoHash.toBytes()));
                hashed.put(infoHash, req2);
                byReq2.put(req2, infoHash);
            }
        }
    }
}
