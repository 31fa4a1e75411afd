package io.graytorrent.lsd.internal;

import io.graytorrent.api.InfoHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each torrent is announced: at once when it starts, then every {@code intervalMillis}
 * (BEP 14: 5 minutes), in rounds at least {@code minGapMillis} apart (BEP 14: no more than one
 * announce a minute). A round is one datagram: the torrents most overdue that share a port, up to
 * {@code perDatagram} of them; the rest wait for the next round. Not thread-safe; times in
 * milliseconds of any monotonic clock.
 */
final class AnnounceSchedule {
    private final long intervalMillis;
    private final long minGapMillis;
    private final int perDatagram;
    private final Map<InfoHash, Entry> entries = new HashMap<>();
    private long nextRoundAt = Long.MIN_VALUE;

    private static final class Entry {
        final int port;
        long dueAt;

        Entry(int port, long dueAt) {
            this.port = port;
            this.dueAt = dueAt;
        }
    }

    /** One round's datagram: the port and the torrents it announces. */
    record Round(int port, List<InfoHash> infoHashes) {
    }

    AnnounceSchedule(long intervalMillis, long minGapMillis, int perDatagram) {
        this.intervalMillis = intervalMillis;
        this.minGapMillis = minGapMillis;
        this.perDatagram = perDatagram;
    }

    /** A torrent to announce from now on; one already known keeps its turn (its port may change). */
    void add(InfoHash infoHash, int port, long now) {
        Entry entry = entries.get(infoHash);
        if (entry == null || entry.port != port) {
            entries.put(infoHash, new Entry(port, now));
        }
    }

    void remove(InfoHash infoHash) {
        entries.remove(infoHash);
    }

    /** The round to send now, if one is due and the gap since the last has passed. */
    Round next(long now) {
        if (now < nextRoundAt) {
            return null;
        }
        List<Map.Entry<InfoHash, Entry>> due = new ArrayList<>();
        for (Map.Entry<InfoHash, Entry> entry : entries.entrySet()) {
            if (entry.getValue().dueAt <= now) {
                due.add(entry);
            }
        }
        if (due.isEmpty()) {
            return null;
        }
        due.sort(Comparator.comparingLong((Map.Entry<InfoHash, Entry> e) -> e.getValue().dueAt)
                .thenComparing(Map.Entry::getKey));
        int port = due.get(0).getValue().port;
        List<InfoHash> announced = new ArrayList<>();
        for (Map.Entry<InfoHash, Entry> entry : due) {
            if (entry.getValue().port == port && announced.size() < perDatagram) {
                entry.getValue().dueAt = now + intervalMillis;
                announced.add(entry.getKey());
            }
        }
        nextRoundAt = now + minGapMillis;
        return new Round(port, announced);
    }

}
