package io.graytorrent.storage;

/** How files are allocated on disk. */
public enum AllocationMode {
    /** Files are created empty and grow (with holes) as pieces arrive. */
    SPARSE,
    /** Wanted files are filled with zeros up to their full length when they are created. */
    FULL
}
