package io.graytorrent.core.internal;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
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
abstract sealed class ManagedTorrent permits TorrentSession, MagnetSession {

    abstract int id();

    abstract InfoHash infoHash();

    /** The parsed .torrent; empty while a magnet link's metadata is being fetched. */
    abstract Optional<Metainfo> metainfo();

    abstract TorrentRecord record();

    abstract TorrentStatus status();

    abstract List<PeerStatus> peerStatuses();

    abstract List<TrackerStatus> trackers();

    /** Files with their verified bytes; none before the metadata is known. */
    abstract List<FileStatus> files();

    /** Verified pieces and their availability; no pieces before the metadata is known. */
    abstract CompletableFuture<PieceMap> pieceMap();

    abstract void start();

    abstract void stop();

    /** Re-hashes the data (the caller has checked there is metadata). */
    abstract void verify();

    /** Sets priorities (the caller has checked the indexes against the metadata). */
    abstract void setFilePriority(List<Integer> files, FilePriority priority);

    abstract void connect(InetSocketAddress peer);

    /** Closes connections to a banned address. */
    abstract void closePeersAt(InetAddress address);

    abstract void trackerClientArrived();

    /** Where incoming connections for this torrent go, while it runs. */
    abstract Optional<TorrentEndpoint> activeEndpoint();

    /** What the metadata exchange sees of it; empty for a private torrent, which keeps its metadata to itself. */
    abstract Optional<MetadataParticipant> metadataParticipant();

    /** Stops for good, keeping the record's running flag. */
    abstract CompletableFuture<Void> shutdown();
}
