package io.graytorrent.dht.internal;

/** What one {@link DhtNode} has seen and sent, for `gray dht` and the tests' bounds. */
public final class DhtCounters {
    long packetsIn;
    long packetsOut;
    long bytesOut;
    /** Inbound datagrams ignored because their IP was over its rate. */
    long droppedIn;
    /** Outbound datagrams not sent because the outgoing rate was used up. */
    long droppedOut;
    long malformedIn;
    /** Answers to no query of ours, or from another address than we asked. */
    long unexpectedIn;
    long lookupsDone;
    /** announce_peer queries sent at the end of our get_peers lookups. */
    long announcesSent;
    /** Announces given up: waited too long for the outgoing rate, or pushed out of the full queue. */
    long announcesGivenUp;

    public long packetsIn() {
        return packetsIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long droppedIn() {
        return droppedIn;
    }

    public long droppedOut() {
        return droppedOut;
    }

    public long malformedIn() {
        return malformedIn;
    }

    public long unexpectedIn() {
        return unexpectedIn;
    }

    public long lookupsDone() {
        return lookupsDone;
    }

    public long announcesSent() {
        return announcesSent;
    }

    public long announcesGivenUp() {
        return announcesGivenUp;
    }
}
