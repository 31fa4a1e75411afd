package io.graytorrent.core.internal.session;

import io.graytorrent.api.FilePriority;
import io.graytorrent.core.internal.concurrent.SerialExecutor;
import io.graytorrent.core.internal.metadata.MetadataExtension;
import io.graytorrent.core.internal.metadata.MetadataFetcher;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.core.internal.metadata.MetadataParticipant;
import io.graytorrent.metainfo.MagnetLink;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.PeerConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A magnet link's first phase, FETCHING_METADATA: asks the connected peers that offer ut_metadata for
 * the info dictionary through a {@link MetadataFetcher} and hands it on once it matches the
 * infohash. The connections are the torrent's, and stay when the phase ends. Owned by the torrent's
 * executor; the {@link MetadataParticipant} callbacks come on event loops and hop onto it.
 */
final class MetadataPhase implements MetadataParticipant, MetadataFetcher.Peers<PeerConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataPhase.class);

    private final int id;
    private final MagnetLink magnet;
    private final EngineContext engine;
    private final SerialExecutor executor;
    private final MetadataFetcher<PeerConnection> fetcher;
    /** Whether a connection is one of the torrent's (and the phase still runs). */
    private final Predicate<PeerConnection> ours;
    /** Where the verified info dictionary goes, on the executor. */
    private final Consumer<byte[]> arrived;

    MetadataPhase(int id, MagnetLink magnet, EngineContext engine, SerialExecutor executor,
            Predicate<PeerConnection> ours, Consumer<byte[]> arrived) {
        this.id = id;
        this.magnet = magnet;
        this.engine = engine;
        this.executor = executor;
        this.ours = ours;
        this.arrived = arrived;
        this.fetcher = new MetadataFetcher<>(magnet::matches, engine.settings().maxMetadataSize(),
                TorrentRuntime.METADATA_REQUEST_TIMEOUT_MILLIS, this);
    }

    MagnetLink magnet() {
        return magnet;
    }

    /** BEP 53: the files the link selects NORMAL and the others SKIP; none (all NORMAL) without {@code so}. */
    List<FilePriority> filePriorities(Metainfo metainfo) {
        return magnet.selectedFiles().isEmpty() ? List.of() : IntStream.range(0, metainfo.files().size())
                .mapToObj(file -> magnet.selectsFile(file) ? FilePriority.NORMAL : FilePriority.SKIP).toList();
    }

    /** How many peers offered the metadata. */
    int sourceCount() {
        return fetcher.sourceCount();
    }

    void tick(long nowMillis) {
        fetcher.tick(nowMillis);
    }

    /** A connection of the torrent closed. */
    void peerGone(PeerConnection peer) {
        fetcher.peerGone(peer, engine.clock().millis());
    }

    // ---- MetadataFetcher.Peers, on the executor ----

    @Override
    public void request(PeerConnection peer, int piece) {
        peer.sendExtended(MetadataExtension.NAME, new MetadataMessage.Request(piece).encode());
    }

    @Override
    public void drop(PeerConnection peer, String reason, boolean penalise) {
        LOG.info("torrent {}: dropping {}: {}", id, peer.remoteAddress(), reason);
        peer.close(CloseReason.misbehaviour(reason));
        if (penalise) {
            engine.recordHashFailure(peer.remoteAddress().getAddress());
        }
    }

    // ---- MetadataParticipant, on event loops ----

    @Override
    public Optional<byte[]> metadata() {
        return Optional.empty();
    }

    @Override
    public void peerOffers(PeerConnection connection, long metadataSize) {
        executor.execute(() -> {
            if (ours.test(connection) && !fetcher.peerOffers(connection, metadataSize, engine.clock().millis())) {
                // nothing else passes between us before the metadata does: the connection would only take a slot
                String reason = "offers " + metadataSize + " bytes of metadata, over the limit of "
                        + engine.settings().maxMetadataSize();
                LOG.info("torrent {}: dropping {}: {}", id, connection.remoteAddress(), reason);
                connection.close(CloseReason.normal(reason));
            }
        });
    }

    @Override
    public void received(PeerConnection connection, MetadataMessage message) {
        executor.execute(() -> {
            if (ours.test(connection)) {
                fetcher.received(connection, message, engine.clock().millis()).ifPresent(arrived);
            }
        });
    }
}
