package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Status pushed to listeners: a download is heard from its adding to its seeding and removal, with no polling. */
@Timeout(60)
@Unit
class TorrentListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aDownloadIsHeardFromAddingToSeedingAndItsRemovalIsTheLastWord() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "t", 32 * 1024, 9, 300_000);
        Recorder recorder = new Recorder();
        int id;
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder"));
                EngineFixture leecher = new EngineFixture(dir.resolve("leecher"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            leecher.engine.addListener(recorder);
            id = leecher.add(torrent, dir.resolve("down"), seeder.address()).id();

            recorder.await(status -> status.id() == id && status.state() == TorrentState.SEEDING);
            TorrentStatus first = recorder.statuses.get(0);
            assertEquals(id, first.id());
            assertTrue(first.state() == TorrentState.CHECKING, "the first word is the added torrent: " + first);
            assertTrue(recorder.statuses.stream().anyMatch(s -> s.state() == TorrentState.DOWNLOADING));

            leecher.engine.remove(Integer.toString(id), false);
        }
        // the engines have closed: every event that could follow has been told
        assertEquals("removed " + id, recorder.events.get(recorder.events.size() - 1), "nothing follows the removal");
    }

    private static final class Recorder implements TorrentListener {
        final List<TorrentStatus> statuses = new CopyOnWriteArrayList<>();
        /** Both kinds, in the order heard. */
        final List<String> events = new CopyOnWriteArrayList<>();

        void await(Predicate<TorrentStatus> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (statuses.stream().noneMatch(condition)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("never heard it within " + WAIT + "; heard " + statuses);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void statusChanged(TorrentStatus status) {
            statuses.add(status);
            events.add("status " + status.id() + " " + status.state());
        }

        @Override
        public void removed(int id, InfoHash infoHash) {
            events.add("removed " + id);
        }
    }
}
