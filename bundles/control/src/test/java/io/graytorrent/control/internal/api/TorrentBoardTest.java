package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class TorrentBoardTest {
    private final TorrentBoard board = new TorrentBoard();

    @Test
    void filledFromTheListThenKeptByEventsInIdOrder() {
        TorrentStatus one = TorrentJsonTest.status(1, TorrentState.DOWNLOADING, 10);
        TorrentStatus three = TorrentJsonTest.status(3, TorrentState.STOPPED, 0);
        board.fill(() -> List.of(one, three));
        assertEquals(List.of(one, three), board.torrents());

        TorrentStatus two = TorrentJsonTest.status(2, TorrentState.CHECKING, 0);
        TorrentStatus oneSeeding = TorrentJsonTest.status(1, TorrentState.SEEDING, 0);
        board.statusChanged(two);
        board.statusChanged(oneSeeding);
        board.removed(3, three.infoHash());
        assertEquals(List.of(oneSeeding, two), board.torrents(), "added, changed and removed, by id");
    }

    @Test
    void anEngineThatLeavesTakesItsTorrentsAndTheNextOneBringsItsOwn() {
        board.statusChanged(TorrentJsonTest.status(1, TorrentState.DOWNLOADING, 10));
        board.clear();
        assertEquals(List.of(), board.torrents());
        TorrentStatus restarted = TorrentJsonTest.status(1, TorrentState.CHECKING, 0);
        board.fill(() -> List.of(restarted));
        assertEquals(List.of(restarted), board.torrents());
    }
}
