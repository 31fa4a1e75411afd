package io.graytorrent.core.internal.blocklist;

/** A list that cannot be taken as a whole: the list before it stays in force. */
public final class BlocklistException extends Exception {
    private static final long serialVersionUID = 1L;

    public BlocklistException(String message) {
        super(message);
    }
}
