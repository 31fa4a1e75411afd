package io.graytorrent.api;

/** A tracker exchange that failed: the tracker's own failure reason, or why we could not get or read a reply. */
public class TrackerException extends Exception {
    public TrackerException(String reason) {
        super(reason);
    }

    public TrackerException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
