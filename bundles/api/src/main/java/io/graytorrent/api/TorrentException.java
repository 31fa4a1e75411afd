package io.graytorrent.api;

import java.util.Objects;

/**
 * A request the engine refuses, with a message for the user and a {@link Kind} for programs (the
 * control API's status codes), so nobody has to read the wording to tell refusals apart.
 */
public class TorrentException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the engine refused. */
    public enum Kind {
        /** No torrent has this id or infohash (prefix). */
        NOT_FOUND,
        /** A torrent reference matches more than one torrent (a short infohash prefix). */
        AMBIGUOUS,
        /** The torrent's infohash is managed already. */
        ALREADY_MANAGED,
        /** The request itself is wrong: a malformed .torrent, magnet link, reference, file index or peer. */
        INVALID_INPUT,
        /** Well-formed, but this engine cannot do it yet (a v2-only .torrent). */
        NOT_SUPPORTED,
        /** The torrent is a magnet link still fetching its metadata, so it has no files yet. */
        NO_METADATA_YET,
        /** The torrent is busy with something the request cannot run beside (its data is moving). */
        BUSY,
        /** A file is already where the request would put one (a data move's target); nothing changed. */
        TARGET_EXISTS,
        /** The disk has too little free space for the request (a data move); nothing changed. */
        NO_SPACE,
        /** The engine failed on its side: its state could not be written or read, or it was interrupted. */
        FAILED
    }

    private final Kind kind;

    public TorrentException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public TorrentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
