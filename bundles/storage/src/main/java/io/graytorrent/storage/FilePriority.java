package io.graytorrent.storage;

/** How much a file is wanted. Storage only distinguishes {@link #SKIP} from the others. */
public enum FilePriority {
    /** Not downloaded and not created; edge-piece bytes are kept in the torrent's parts file. */
    SKIP,
    LOW,
    NORMAL,
    HIGH
}
