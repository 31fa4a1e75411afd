package io.graytorrent.metainfo;

/**
 * A magnet link that cannot be used: not a {@code magnet:} URI, no BitTorrent infohash, a malformed
 * parameter, or more than the parser's bounds. The message is one readable line, fit to show a user.
 */
public final class MagnetException extends Exception {
    private static final long serialVersionUID = 1L;

    public MagnetException(String message) {
        super(message);
    }
}
