package io.graytorrent.api;

/** A request the engine refuses, with a message for the user (unknown id, bad .torrent, duplicate). */
public class TorrentException extends Exception {
    public TorrentException(String message) {
        super(message);
    }

    public TorrentException(String message, Throwable cause) {
        super(message, cause);
    }
}
