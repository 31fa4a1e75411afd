package io.graytorrent.core.internal.session;

import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.metadata.MetadataParticipant;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.TorrentEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A torrent the engine manages under one id: a {@link TorrentSession}, or a {@link MagnetSession}
 * fetching the metadata it then becomes a session with. Methods may be called from any thread.
 */
public abstract sealed class ManagedTorrent permits TorrentSession, MagnetSession {

    public abstract int id();

    public abstract InfoHash infoHash();

    /** The parsed .torrent; empty while a magnet link's metadata is being fetched. */
    public abstract Optional<Metainfo> metainfo();

    public abstract TorrentRecord record();

    public abstract TorrentStatus status();

    public abstract List<PeerStatus> peerStatuses();

    /** The web seeds in use; none before the metadata is known or while the torrent does not run. */
    public List<WebSeedStatus> webSeedStatuses() {
        return List.of();
    }

    public abstract List<TrackerStatus> trackers();

    /** Files with their verified bytes; none before the metadata is known. */
    public abstract List<FileStatus> files();

    /** Verified pieces and their availability; no pieces before the metadata is known. */
    public abstract CompletableFuture<PieceMap> pieceMap();

    public abstract void start();

    public abstract void stop();

    /** Re-hashes the data (the caller has checked there is metadata). */
    public abstract void verify();

    /** Sets priorities (the caller has checked the indexes against the metadata). */
    public abstract void setFilePriority(List<Integer> files, FilePriority priority);

    public abstract void connect(InetSocketAddress peer);

    /** Closes connections to a banned address. */
    public abstract void closePeersAt(InetAddress address);

    public abstract void trackerClientArrived();

    /** Where incoming connections for this torrent go, while it runs. */
    public abstract Optional<TorrentEndpoint> activeEndpoint();

    /** What the metadata exchange sees of it; empty for a private torrent, which keeps its metadata to itself. */
    public abstract Optional<MetadataParticipant> metadataParticipant();

    /** Stops for good, keeping the record's running flag. */
    public abstract CompletableFuture<Void> shutdown();
}
