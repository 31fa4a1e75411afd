package io.graytorrent.lsd.internal;

import static io.graytorrent.lsd.internal.LsdMessageTest.A;
import static io.graytorrent.lsd.internal.LsdMessageTest.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class AnnounceScheduleTest {
    private static final long MINUTE = 60_000;
    private static final InfoHash C = InfoHash.parse("00000000000000000000000000000000000000cc");

    private final AnnounceSchedule schedule = new AnnounceSchedule(5 * MINUTE, MINUTE, 2);

    @Test
    void aTorrentIsAnnouncedAtOnceThenEveryFiveMinutes() {
        schedule.add(A, 6881, 0);
        assertEquals(new AnnounceSchedule.Round(6881, List.of(A)), schedule.next(0));
        assertNull(schedule.next(4 * MINUTE));
        assertEquals(new AnnounceSchedule.Round(6881, List.of(A)), schedule.next(5 * MINUTE));
    }

    @Test
    void roundsAreAMinuteApartAndCarrySeveralTorrents() {
        schedule.add(A, 6881, 0);
        schedule.next(0);
        schedule.add(B, 6881, 1000);
        schedule.add(C, 6881, 2000);
        assertNull(schedule.next(30_000), "no more than one announce a minute");
        assertEquals(new AnnounceSchedule.Round(6881, List.of(B, C)), schedule.next(MINUTE));
        schedule.add(A, 6881, MINUTE + 1); // told again (it became a seed): keeps its turn
        assertNull(schedule.next(2 * MINUTE));
    }

    @Test
    void moreTorrentsThanADatagramHoldsTakeTurnsOldestFirst() {
        schedule.add(C, 6881, 0);
        schedule.add(A, 6881, 1);
        schedule.add(B, 6881, 2);
        assertEquals(List.of(C, A), schedule.next(10).infoHashes());
        assertEquals(List.of(B), schedule.next(10 + MINUTE).infoHashes());
        assertNull(schedule.next(10 + 2 * MINUTE));
        assertEquals(List.of(C, A), schedule.next(10 + 5 * MINUTE).infoHashes());
    }

    @Test
    void torrentsOnAnotherPortGoInARoundOfTheirOwnAndARemovedOneIsNotAnnounced() {
        schedule.add(A, 6881, 0);
        schedule.add(B, 7000, 1);
        schedule.add(C, 6881, 2);
        assertEquals(new AnnounceSchedule.Round(6881, List.of(A, C)), schedule.next(5));
        assertEquals(new AnnounceSchedule.Round(7000, List.of(B)), schedule.next(5 + MINUTE));
        schedule.remove(A);
        schedule.remove(C);
        assertEquals(new AnnounceSchedule.Round(7000, List.of(B)), schedule.next(5 * MINUTE + 5 + MINUTE));
    }
}
