package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Closing the engine mid-download and starting a new one on the same state directory. */
@Unit
class RestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aRestartedEngineKeepsIdsAndResumesWithoutRehashing() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "resumed", 64 * 1024, 5,
                5_000_000, 3_000_000, 4_000_000);
        byte[] other = TestData.multiFileTorrent(dir.resolve("other"), "other", 64 * 1024, 6, 100_000, 50_000);
        Path leecherState = dir.resolve("leecher-state");
        EngineSettings slow = TestSettings.with(dir.resolve("downloads"), 5, 2 << 20, 0, Duration.ofSeconds(30));

        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);

            long verifiedAtClose;
            try (EngineFixture leecher = new EngineFixture(leecherState, slow)) {
                assertEquals(1, leecher.add(other, dir.resolve("leech"), seeder.address()).id());
                assertEquals(2, leecher.add(torrent, dir.resolve("leech"), seeder.address()).id());
                leecher.engine.remove("1", true);
                TorrentException duplicate = assertThrows(TorrentException.class,
                        () -> leecher.add(torrent, dir.resolve("elsewhere")));
                assertTrue(duplicate.getMessage().contains("already managed as id 2"), duplicate.getMessage());
                TorrentStatus partial = leecher.await(2, s -> s.progress() > 0.3, WAIT);
                assertEquals(TorrentState.DOWNLOADING, partial.state());
                var peers = leecher.engine.peers("2");
                assertEquals(1, peers.size(), peers.toString());
                assertEquals("graytorrent 0.1.0", peers.get(0).client(), "the name from its extension handshake");
                assertTrue(peers.get(0).outgoing());
                assertTrue(peers.get(0).flags().contains("D"), "interested and unchoked: " + peers.get(0).flags());
                assertEquals(1.0, peers.get(0).progress());
                verifiedAtClose = partial.verifiedBytes();
            }

            ListAppender<ILoggingEvent> storageLog = new ListAppender<>();
            storageLog.start();
            ((Logger) LoggerFactory.getLogger("io.graytorrent.storage.internal.DiskStorageService")).addAppender(storageLog);
            try (EngineFixture restarted = new EngineFixture(leecherState)) {
                assertEquals(1, restarted.engine.list().size(), "the removed torrent stays removed");
                TorrentStatus resumed = restarted.await(2, s -> s.state() != TorrentState.CHECKING, WAIT);
                assertTrue(resumed.verifiedBytes() >= verifiedAtClose,
                        "resumed with " + resumed.verifiedBytes() + " verified, had " + verifiedAtClose);
                assertTrue(storageLog.list.stream().noneMatch(e -> e.getFormattedMessage().contains("re-hashed")),
                        "no piece was re-hashed: " + storageLog.list);
                restarted.await(2, EngineFixture.seeding(), WAIT);
                TestData.assertSameTree(dir.resolve("seed/resumed"), dir.resolve("leech/resumed"));
                assertEquals(3, restarted.add(other, dir.resolve("leech")).id(), "ids are never reused");
            } finally {
                ((Logger) LoggerFactory.getLogger("io.graytorrent.storage.internal.DiskStorageService"))
                        .detachAppender(storageLog);
            }
        }
    }
}
