package io.graytorrent.api;

/** The {@code event} of an announce; declared in BEP 15's numbering (0 none, 1 completed, 2 started, 3 stopped). */
public enum AnnounceEvent {
    NONE, COMPLETED, STARTED, STOPPED;

    /** The BEP 3 query value; empty for {@link #NONE}. */
    public String queryValue() {
        return this == NONE ? "" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
