package io.graytorrent.metainfo;

/** A well-formed .torrent that this version cannot use yet (a v2-only torrent), as opposed to a broken one. */
public final class UnsupportedTorrentException extends MetainfoException {
    private static final long serialVersionUID = 1L;

    public UnsupportedTorrentException(String message) {
        super(message);
    }
}
