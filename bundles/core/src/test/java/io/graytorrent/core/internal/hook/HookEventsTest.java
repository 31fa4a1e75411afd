package io.graytorrent.core.internal.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

@Unit
class HookEventsTest {
    static TorrentStatus status(int id, TorrentState state) {
        return new TorrentStatus(id, InfoHash.parse("%040x".formatted(id)), "name " + id, Path.of("/data/x"), state,
                1000, 1000, state == TorrentState.SEEDING ? 1000 : 10, 0, 0, 0, 0, 0, 0, OptionalLong.empty(),
                Optional.empty());
    }

    private static List<HookEvent.Kind> kinds(HookEvents events, int id, TorrentState state) {
        return events.events(status(id, state)).stream().map(HookEvent::kind).toList();
    }

    @Test
    void aTorrentSeenDownloadingCompletesOnceWhenItSeeds() {
        HookEvents events = new HookEvents(3);
        assertEquals(List.of(), kinds(events, 2, TorrentState.DOWNLOADING));
        assertEquals(List.of(), kinds(events, 2, TorrentState.DOWNLOADING));
        assertEquals(List.of(HookEvent.Kind.COMPLETED), kinds(events, 2, TorrentState.SEEDING));
        assertEquals(List.of(), kinds(events, 2, TorrentState.SEEDING));
    }

    @Test
    void seedingAfterARestartOrARecheckIsNoCompletion() {
        HookEvents events = new HookEvents(3);
        assertEquals(List.of(), kinds(events, 1, TorrentState.SEEDING));
        assertEquals(List.of(), kinds(events, 1, TorrentState.CHECKING));
        assertEquals(List.of(), kinds(events, 1, TorrentState.SEEDING));
    }

    @Test
    void onlyIdsAboveThoseThereAtTheStartAreAddedAndOnlyOnce() {
        HookEvents events = new HookEvents(3);
        assertEquals(List.of(), kinds(events, 3, TorrentState.DOWNLOADING));
        assertEquals(List.of(HookEvent.Kind.ADDED), kinds(events, 4, TorrentState.FETCHING_METADATA));
        assertEquals(List.of(), kinds(events, 4, TorrentState.DOWNLOADING));
        assertEquals(List.of(HookEvent.Kind.ADDED), kinds(events, 5, TorrentState.SEEDING));
    }

    @Test
    void theEnvironmentNamesTheTorrent() {
        assertEquals(Map.of("GRAY_EVENT", "completed", "GRAY_TORRENT_ID", "7", "GRAY_TORRENT_NAME", "name 7",
                        "GRAY_TORRENT_INFOHASH", "%040x".formatted(7), "GRAY_TORRENT_DIR", "/data/x",
                        "GRAY_TORRENT_LABELS", "linux,work"),
                new HookEvent(HookEvent.Kind.COMPLETED, status(7, TorrentState.SEEDING))
                        .environment(new TreeSet<>(Set.of("work", "linux"))));
    }
}
