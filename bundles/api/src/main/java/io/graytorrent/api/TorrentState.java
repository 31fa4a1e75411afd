package io.graytorrent.api;

/** Where a managed torrent is in its life. */
public enum TorrentState {
    /** Added from a magnet link; asking peers for the torrent's metadata (BEP 9). */
    FETCHING_METADATA,
    /** Hashing data already on disk (on add, on a changed file, or on request). */
    CHECKING,
    /** Running and missing pieces it wants. */
    DOWNLOADING,
    /** Running with every wanted piece verified; uploading to others. */
    SEEDING,
    /** Waiting for a slot (max active downloads/seeds). */
    QUEUED,
    /** Stopped by the user; no connections. */
    STOPPED,
    /** Its data is moving to another directory ({@code TorrentService.move}); it runs again from there. */
    MOVING,
    /** Stopped by a failure that needs the user (disk full, permission denied); see the error. */
    ERROR
}
