package io.graytorrent.core.internal.metadata;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerConnection;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The ut_metadata extension (BEP 9) for every torrent of the engine: announces {@code metadata_size}
 * when the torrent has its metadata, serves its pieces (a reject while it has none, for a piece out
 * of range, or past {@link #servedLimit} pieces to one connection), hands offers, data and rejects to
 * the torrent, and closes connections whose messages break BEP 9.
 *
 * <p>Runs on the connections' event loops; the metadata it serves is in memory, so nothing blocks.
 */
public final class MetadataExtension implements ExtensionMessageHandler {
    public static final String NAME = "ut_metadata";

    private final Function<InfoHash, Optional<MetadataParticipant>> torrents;
    /** Pieces served per connection, dropped when it closes. */
    private final Map<PeerConnection, Integer> served = new ConcurrentHashMap<>();

    /** {@code torrents} finds a torrent by infohash, empty when it is gone or keeps its metadata to itself. */
    public MetadataExtension(Function<InfoHash, Optional<MetadataParticipant>> torrents) {
        this.torrents = torrents;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void contributeHandshake(PeerConnection peer, Map<String, Object> fields) {
        torrents.apply(peer.infoHash()).flatMap(MetadataParticipant::metadata)
                .ifPresent(info -> fields.put("metadata_size", info.length));
    }

    @Override
    public void onHandshake(PeerConnection peer, ExtensionHandshake handshake) {
        if (handshake.messageIds().containsKey(NAME) && handshake.metadataSize().isPresent()) {
            torrents.apply(peer.infoHash()).ifPresent(t -> t.peerOffers(peer, handshake.metadataSize().getAsLong()));
        }
    }

    @Override
    public void onMessage(PeerConnection peer, byte[] payload) {
        Optional<MetadataMessage> message;
        try {
            message = MetadataMessage.decode(payload);
        } catch (MetadataProtocolException e) {
            peer.close(CloseReason.misbehaviour(e.getMessage()));
            return;
        }
        Optional<MetadataParticipant> torrent = torrents.apply(peer.infoHash());
        if (message.isEmpty() || torrent.isEmpty()) {
            return; // a msg_type of a later revision, or a torrent just removed
        }
        if (message.get() instanceof MetadataMessage.Request request) {
            peer.sendExtended(NAME, answer(peer, request.piece(), torrent.get().metadata()).encode());
        } else {
            torrent.get().received(peer, message.get());
        }
    }

    @Override
    public void onClosed(PeerConnection peer) {
        served.remove(peer);
    }

    private MetadataMessage answer(PeerConnection peer, int piece, Optional<byte[]> metadata) {
        if (metadata.isEmpty()) {
            return new MetadataMessage.Reject(piece);
        }
        byte[] info = metadata.get();
        if (piece >= MetadataMessage.pieceCount(info.length) || served.merge(peer, 1, Integer::sum) > servedLimit(info.length)) {
            return new MetadataMessage.Reject(piece);
        }
        int start = piece * MetadataMessage.PIECE_LENGTH;
        int end = Math.min(info.length, start + MetadataMessage.PIECE_LENGTH);
        return new MetadataMessage.Data(piece, info.length, Arrays.copyOfRange(info, start, end));
    }

    /** Each piece a few times over: enough for a peer that lost some, not a way to make us upload forever. */
    static int servedLimit(int size) {
        return 3 * MetadataMessage.pieceCount(size) + 8;
    }
}
