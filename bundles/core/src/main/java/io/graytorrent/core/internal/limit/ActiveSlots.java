package io.graytorrent.core.internal.limit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The max-active-downloads / max-active-seeds rule: a torrent that wants to run gets a slot of its
 * kind or waits in a first-come queue; a freed slot goes to the longest-waiting torrent of that kind.
 * The limits may change at run time: raised, they promote waiting torrents at once; lowered, they
 * stop no running torrent (that would drop its peers) but hold new ones back until enough slots free.
 * Thread-safe.
 */
public final class ActiveSlots<T> {
    private int maxDownloads;
    private int maxSeeds;
    private final Set<T> downloads = new LinkedHashSet<>();
    private final Set<T> seeds = new LinkedHashSet<>();
    private final Map<T, Boolean> waiting = new LinkedHashMap<>(); // torrent -> wants a seed slot

    public ActiveSlots(int maxDownloads, int maxSeeds) {
        this.maxDownloads = maxDownloads;
        this.maxSeeds = maxSeeds;
    }

    /**
     * Asks for a slot of a kind, giving up any slot of the other kind (and promoting a waiting
     * torrent into it). True if granted; false if {@code torrent} now waits.
     */
    public synchronized Grant<T> request(T torrent, boolean seeding) {
        List<T> promoted = releaseNow(torrent);
        Set<T> slots = seeding ? seeds : downloads;
        boolean granted = slots.size() < (seeding ? maxSeeds : maxDownloads);
        if (granted) {
            slots.add(torrent);
        } else {
            waiting.put(torrent, seeding);
        }
        return new Grant<>(granted, promoted);
    }

    /** Gives up the torrent's slot or place in the queue; returns the torrents promoted into the freed slot. */
    public synchronized List<T> release(T torrent) {
        return releaseNow(torrent);
    }

    private List<T> releaseNow(T torrent) {
        waiting.remove(torrent);
        if (!downloads.remove(torrent) && !seeds.remove(torrent)) {
            return List.of();
        }
        return promoteWaiting();
    }

    /** New limits; returns the waiting torrents promoted into slots they open. */
    public synchronized List<T> setLimits(int maxDownloads, int maxSeeds) {
        if (maxDownloads < 1 || maxSeeds < 1) {
            throw new IllegalArgumentException("slot limits must be positive: " + maxDownloads + ", " + maxSeeds);
        }
        this.maxDownloads = maxDownloads;
        this.maxSeeds = maxSeeds;
        return promoteWaiting();
    }

    private List<T> promoteWaiting() {
        List<T> promoted = new ArrayList<>();
        for (var entry : List.copyOf(waiting.entrySet())) {
            Set<T> slots = entry.getValue() ? seeds : downloads;
            if (slots.size() < (entry.getValue() ? maxSeeds : maxDownloads)) {
                slots.add(entry.getKey());
                waiting.remove(entry.getKey());
                promoted.add(entry.getKey());
            }
        }
        return promoted;
    }

    /** Whether a slot was granted, and which waiting torrents were promoted on the way. */
    public record Grant<T>(boolean granted, List<T> promoted) {
    }
}
