package io.graytorrent.core.internal.hook;

import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells a torrent's completion and addition from its stream of statuses. Completed: seeding after it
 * was seen downloading (a re-check of complete data or a restart is not a completion). Added: the
 * first status of an id above every id there was when listening began (ids are never reused).
 * Called on the engine's one event thread.
 */
final class HookEvents {
    private final int highestKnownId;
    private final Set<Integer> seen = new HashSet<>();
    private final Set<Integer> downloading = new HashSet<>();

    HookEvents(int highestKnownId) {
        this.highestKnownId = highestKnownId;
    }

    /** The events {@code status} makes, in order: added, then completed (a torrent added complete is not completed). */
    List<HookEvent> events(TorrentStatus status) {
        List<HookEvent> events = new ArrayList<>(2);
        if (seen.add(status.id()) && status.id() > highestKnownId) {
            events.add(new HookEvent(HookEvent.Kind.ADDED, status));
        }
        if (status.state() == TorrentState.DOWNLOADING || status.state() == TorrentState.FETCHING_METADATA) {
            downloading.add(status.id());
        } else if (status.state() == TorrentState.SEEDING && downloading.remove(status.id())) {
            events.add(new HookEvent(HookEvent.Kind.COMPLETED, status));
        }
        return events;
    }

    void removed(int id) {
        seen.remove(id);
        downloading.remove(id);
    }
}
