package io.graytorrent.api;

/** How much a file is wanted; {@link #SKIP} means it is not downloaded (nor created). */
public enum FilePriority {
    SKIP, NORMAL, HIGH
}
