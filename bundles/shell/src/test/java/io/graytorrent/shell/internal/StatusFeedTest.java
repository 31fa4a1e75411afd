package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@Unit
class StatusFeedTest {
    private static final InfoHash OURS = InfoHash.parse("11".repeat(20));
    private static final InfoHash OTHER = InfoHash.parse("22".repeat(20));
    private final StatusFeed feed = new StatusFeed(OURS);

    private static TorrentStatus status(InfoHash infoHash, TorrentState state, long verified) {
        return new TorrentStatus(1, infoHash, "t", Path.of("/data"), state, 1000, 1000, verified, 0, 0, verified, 0, 1, 1,
                OptionalLong.empty(), Optional.empty());
    }

    @Test
    void aWaitingReaderWakesOnItsTorrentsStatusAndGetsTheNewestOnly() throws Exception {
        CompletableFuture<Optional<TorrentStatus>> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return feed.next(Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        feed.statusChanged(status(OTHER, TorrentState.SEEDING, 1000)); // another torrent's: not ours
        TorrentStatus told = status(OURS, TorrentState.DOWNLOADING, 300);
        feed.statusChanged(told);
        assertEquals(Optional.of(told), reader.get(10, TimeUnit.SECONDS));

        feed.statusChanged(status(OURS, TorrentState.DOWNLOADING, 600));
        TorrentStatus newest = status(OURS, TorrentState.SEEDING, 1000);
        feed.statusChanged(newest);
        assertEquals(Optional.of(newest), feed.next(Duration.ZERO), "the one in between is skipped");
    }

    @Test
    void nothingToldIsEmptyAfterTheWaitAndARemovalFails() throws Exception {
        long started = System.nanoTime();
        assertEquals(Optional.empty(), feed.next(Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(200), "it waited");
        feed.removed(1, OTHER);
        assertEquals(Optional.empty(), feed.next(Duration.ZERO), "another torrent's removal is not ours");
        feed.removed(1, OURS);
        TorrentException gone = assertThrows(TorrentException.class, () -> feed.next(Duration.ofSeconds(30)));
        assertEquals(TorrentException.Kind.NOT_FOUND, gone.kind());
    }
}
