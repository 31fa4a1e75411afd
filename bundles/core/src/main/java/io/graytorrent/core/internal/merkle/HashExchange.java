package io.graytorrent.core.internal.merkle;

import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.metainfo.V2Pieces;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One v2 or hybrid torrent's side of the BEP 52 hash messages: every peer's hash request is answered
 * by a {@link HashServer} over the torrent's {@link PieceLayers}, and, when {@code fetch} is set and
 * layers are missing (a magnet link gave the info dictionary alone), a {@link PieceLayerFetcher} asks
 * the connected peers for them (a hybrid's: those connected under its v2 hash) and {@link PieceLayers#offer offers}
 * each proved layer to the content.
 * Owned by the torrent's executor.
 */
public final class HashExchange {
    private static final Logger LOG = LoggerFactory.getLogger(HashExchange.class);
    /** How long a peer has to answer a hash request before it is asked of another. */
    static final long REQUEST_TIMEOUT_MILLIS = 20_000;

    private final int torrentId;
    private final PieceLayers layers;
    private final Clock clock;
    private final HashServer<PeerConnection> server;
    private final PieceLayerFetcher<PeerConnection> fetcher;
    private final Set<PeerConnection> seen = new HashSet<>();

    public HashExchange(int torrentId, PieceLayers layers, boolean fetch, Clock clock) {
        this(torrentId, layers, fetch, clock, null);
    }

    /** As {@link #HashExchange(int, PieceLayers, boolean, Clock)}, block hashes answered from {@code pieceLeaves}. */
    public HashExchange(int torrentId, PieceLayers layers, boolean fetch, Clock clock, HashServer.PieceLeaves pieceLeaves) {
        this.torrentId = torrentId;
        this.layers = layers;
        this.clock = clock;
        this.server = new HashServer<>(layers, HashServer.DEFAULT_HASHES_PER_SECOND, clock::nanos, pieceLeaves);
        MetainfoV2 torrent = layers.torrent();
        List<PieceLayerFetcher.File> missing = new ArrayList<>();
        for (int file : layers.missing()) {
            missing.add(new PieceLayerFetcher.File(file, torrent.files().get(file).piecesRoot(),
                    Math.toIntExact(torrent.files().get(file).pieceCount(torrent.pieceLength()))));
        }
        this.fetcher = fetch && !missing.isEmpty()
                ? new PieceLayerFetcher<>(missing, torrent.pieceLength(), REQUEST_TIMEOUT_MILLIS, new Listener())
                : null;
    }

    /**
     * The leaves of a verified piece read from {@code storage}: its file data (not the alignment gap after a file's
     * short last piece) hashed per 16 KiB block on the disk pool's thread that read it.
     */
    public static HashServer.PieceLeaves leavesFrom(TorrentStorage storage, PieceLayers layers) {
        V2Pieces pieces = new V2Pieces(layers);
        int[] firstPiece = new int[layers.torrent().files().size() + 1];
        for (int file = 0; file < firstPiece.length - 1; file++) {
            firstPiece[file + 1] = firstPiece[file]
                    + Math.toIntExact(layers.torrent().files().get(file).pieceCount(layers.torrent().pieceLength()));
        }
        return (file, pieceInFile) -> {
            int piece = firstPiece[file] + pieceInFile;
            byte[] data = new byte[pieces.dataLength(piece)];
            return storage.readBlock(piece, 0, ByteBuffer.wrap(data))
                    .thenApply(read -> MerkleTree.leaves(data, 0, data.length));
        };
    }

    /** Whether {@code message} is one of BEP 52's hash messages, which {@link #handle} takes. */
    public static boolean isHashMessage(PeerMessage message) {
        return message instanceof PeerMessage.HashRequest || message instanceof PeerMessage.Hashes
                || message instanceof PeerMessage.HashReject;
    }

    /** Whether piece layers are still being fetched. */
    public boolean fetching() {
        return fetcher != null && !fetcher.isComplete();
    }

    /** {@code connection} is in the torrent's swarm: it may be asked for hashes. */
    public void peerSeen(PeerConnection connection) {
        long now = clock.millis();
        if (fetching() && speaksV2(connection) && seen.add(connection)) {
            fetcher.peerAvailable(connection, now);
        } else if (fetcher != null) {
            fetcher.tick(now);
        }
    }

    /**
     * Whether {@code connection} was made under the torrent's (truncated) v2 infohash, which every connection of a
     * v2-only torrent is: only such a one may be sent hash requests (libtorrent drops, as misbehaving, a peer that
     * sends them on a hybrid's connection made under the v1 hash).
     */
    private boolean speaksV2(PeerConnection connection) {
        return connection.handshakeInfoHash().equals(layers.torrent().infoHash().truncated());
    }

    /** A hash message from {@code connection}: a request is answered, an answer goes to the fetcher. */
    public void handle(PeerConnection connection, PeerMessage message) {
        long now = clock.millis();
        if (message instanceof PeerMessage.HashRequest request) {
            server.respond(connection, request).thenAccept(connection::send);
        } else if (fetcher != null && message instanceof PeerMessage.Hashes hashes) {
            fetcher.received(connection, hashes, now);
        } else if (fetcher != null && message instanceof PeerMessage.HashReject reject) {
            fetcher.rejected(connection, reject, now);
        } else if (message instanceof PeerMessage.Hashes) {
            connection.close(CloseReason.misbehaviour("sent hashes that were not asked of it"));
        }
    }

    public void peerGone(PeerConnection connection) {
        server.peerGone(connection);
        seen.remove(connection);
        if (fetcher != null) {
            fetcher.peerGone(connection, clock.millis());
        }
    }

    private final class Listener implements PieceLayerFetcher.Listener<PeerConnection> {
        @Override
        public void send(PeerConnection peer, PeerMessage.HashRequest request) {
            peer.send(request);
        }

        @Override
        public void drop(PeerConnection peer, String reason) {
            peer.close(CloseReason.misbehaviour(reason));
        }

        @Override
        public void pieceLayer(int file, byte[] layer) {
            boolean known = layers.offer(file, layer);
            LOG.info("torrent {}: piece layer of file {} ({} pieces) fetched from peers{}", torrentId, file,
                    layer.length / 32, known ? "" : ", but the content refused it");
        }
    }
}
