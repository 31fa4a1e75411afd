package io.graytorrent.api;

/** How much a file is wanted. */
public enum FilePriority {
    /**
     * Not downloaded and not created: bytes of it that arrive with edge pieces are kept in the
     * torrent's parts file. A skipped file that already exists on disk stays and is used as it is.
     */
    SKIP,
    LOW,
    NORMAL,
    HIGH
}
