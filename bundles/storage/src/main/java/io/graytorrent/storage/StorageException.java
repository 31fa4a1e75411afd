package io.graytorrent.storage;

/**
 * A storage operation failed. Every future returned by this package fails with this type (wrapped
 * in a {@link java.util.concurrent.CompletionException} by the future machinery), never another.
 */
public final class StorageException extends RuntimeException {

    /** Why; {@link #putsTorrentInError()} tells which reasons stop the torrent's disk I/O. */
    public enum Reason {
        DISK_FULL(true),
        PERMISSION_DENIED(true),
        READ_ONLY_FILE_SYSTEM(true),
        /** Something other than a regular file (a directory, a device) sits where a file belongs. */
        NOT_A_FILE(true),
        /** A path would resolve outside the torrent's directory (e.g. through a planted symlink). */
        PATH_ESCAPE(true),
        IO_ERROR(true),
        /**
         * A hybrid torrent's v1 piece hashes and v2 merkle roots describe different data: a piece matched one and
         * not the other. No peer can fix that; the torrent itself is crafted or broken.
         */
        INCONSISTENT_HASHES(true),
        /** The torrent is in an error state; call {@link TorrentStorage#retry()} once the cause is fixed. */
        IN_ERROR(false),
        /** A file is already where a move would put one; nothing was moved. */
        TARGET_EXISTS(false),
        /** A piece index, offset or length out of range, or a read of a piece that is not verified. */
        INVALID_REQUEST(false),
        /** The torrent's storage was closed. */
        CLOSED(false);

        private final boolean putsTorrentInError;

        Reason(boolean putsTorrentInError) {
            this.putsTorrentInError = putsTorrentInError;
        }

        public boolean putsTorrentInError() {
            return putsTorrentInError;
        }
    }

    private final Reason reason;

    public StorageException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public StorageException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
