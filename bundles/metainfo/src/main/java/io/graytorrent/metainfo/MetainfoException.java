package io.graytorrent.metainfo;

/**
 * A .torrent file that cannot be used: not bencode, a missing or ill-typed field, inconsistent
 * sizes, or a file path that could escape the download directory. The message is one readable
 * line, fit to show a user as it is.
 */
public class MetainfoException extends Exception {
    private static final long serialVersionUID = 1L;

    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
