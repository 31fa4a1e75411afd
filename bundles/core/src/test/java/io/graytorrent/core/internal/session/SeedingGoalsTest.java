package io.graytorrent.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentState;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.swarm.FakeStorage;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeding goals on a fake clock: a seeding torrent (every piece on a fake storage) stops or asks to be
 * removed once its ratio, its seeding time (counted across restarts) or its idle time reaches the goal,
 * its own or the global one it follows; below the goal it seeds on. The real timer ticks every second;
 * the time each tick reads is the fake clock's (so @Slow: about 13 s of real ticks).
 */
@Slow
class SeedingGoalsTest {
    private static final int PIECE_LENGTH = 32 * 1024;
    private static final int PIECES = 4;
    private static final long SIZE = (long) PIECES * PIECE_LENGTH;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private FakeEngine engine;
    private Metainfo metainfo;

    @BeforeEach
    void torrent() throws Exception {
        Path file = dir.resolve("data.bin");
        Files.write(file, new byte[(int) SIZE]);
        metainfo = new MetainfoParser().parse(TorrentCreator.forPath(file).pieceLength(PIECE_LENGTH).create());
        engine = new FakeEngine(dir, 1);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void theSeedingTimeGoalStopsItCountingTheTimeSeededBeforeARestart() throws Exception {
        SeedingGoals goals = new SeedingGoals(SeedingGoals.GLOBAL, 60, SeedingGoals.NONE, SeedingGoals.Action.STOP);
        TorrentRuntime torrent = seeding(0, 0, goals, 50);
        assertEquals(TorrentState.SEEDING, torrent.status().state());
        engine.clock.advance(9_000);
        tickTwice();
        assertEquals(TorrentState.SEEDING, torrent.status().state(), "59 s seeded in all: below the goal");
        assertEquals(59, torrent.seedingStatus().seedingSeconds());
        engine.clock.advance(1_000);
        awaitState(torrent, TorrentState.STOPPED);
        TorrentRecord saved = engine.saved.get(engine.saved.size() - 1);
        assertFalse(saved.running(), "stays stopped across a restart");
        assertEquals(60, saved.seedingSeconds());
        assertTrue(engine.removedForGoals.isEmpty());
    }

    @Test
    void theGlobalIdleGoalWithRemoveAsksTheEngineToRemoveIt() throws Exception {
        engine.seedingGoals = new SeedingGoals(SeedingGoals.NONE, SeedingGoals.NONE, 30, SeedingGoals.Action.REMOVE);
        TorrentRuntime torrent = seeding(0, 0, SeedingGoals.FOLLOW_GLOBAL, 0);
        assertEquals(TorrentState.SEEDING, torrent.status().state());
        engine.clock.advance(29_000);
        tickTwice();
        assertEquals(TorrentState.SEEDING, torrent.status().state());
        assertEquals(29, torrent.seedingStatus().idleSeconds());
        assertEquals(engine.seedingGoals, torrent.seedingStatus().goals(), "the global goals, filled in");
        engine.clock.advance(1_000);
        awaitState(torrent, TorrentState.STOPPED);
        assertEquals(List.of(torrent), engine.removedForGoals);
    }

    @Test
    void theRatioGoalCountsAgainstTheSizeWhenNothingWasDownloaded() throws Exception {
        SeedingGoals goals = new SeedingGoals(1.5, SeedingGoals.NONE, SeedingGoals.NONE, SeedingGoals.Action.STOP);
        TorrentRuntime below = seeding(SIZE, 0, goals, 0);
        tickTwice();
        assertEquals(TorrentState.SEEDING, below.status().state(), "ratio 1.0 of 1.5");
        assertEquals(1.0, below.seedingStatus().ratio());

        TorrentRuntime above = seeding(2 * SIZE, 0, goals, 0);
        assertEquals(TorrentState.STOPPED, above.status().state(), "met as it began to seed");
        assertEquals(2.0, above.seedingStatus().ratio());
    }

    @Test
    void aRaisedGoalLetsAStoppedTorrentSeedAgain() throws Exception {
        SeedingGoals goals = new SeedingGoals(1, SeedingGoals.NONE, SeedingGoals.NONE, SeedingGoals.Action.STOP);
        TorrentRuntime torrent = seeding(2 * SIZE, SIZE, goals, 0);
        assertEquals(TorrentState.STOPPED, torrent.status().state());
        torrent.start();
        engine.runTasks();
        assertEquals(TorrentState.STOPPED, torrent.status().state(), "started again below a raised goal only");
        torrent.setOptions(TorrentOptions.DEFAULTS.withSeedingGoals(
                new SeedingGoals(3, SeedingGoals.NONE, SeedingGoals.NONE, SeedingGoals.Action.STOP)));
        torrent.start();
        engine.runTasks();
        tickTwice();
        assertEquals(TorrentState.SEEDING, torrent.status().state(), "ratio 2 of 3 now");
    }

    /** A torrent with every piece on disk, past its check and seeding (unless a goal is met already), with the given history and own goals. */
    private TorrentRuntime seeding(long uploaded, long downloaded, SeedingGoals goals, long seededSeconds) {
        TorrentRecord record = new TorrentRecord(1, metainfo.infoHash(), metainfo.info(), dir, true, uploaded, downloaded,
                List.of(), null, TorrentOptions.DEFAULTS.withSeedingGoals(goals), seededSeconds);
        TorrentRuntime torrent = new TorrentRuntime(engine, record, metainfo, limits(), limits());
        torrent.open(List.of());
        engine.runTasks();
        BitSet all = new BitSet();
        all.set(0, PIECES);
        engine.storage.opening.complete(new FakeStorage(() -> metainfo, () -> all));
        engine.storage.opening = new java.util.concurrent.CompletableFuture<>();
        engine.runTasks();
        return torrent;
    }

    /** Lets the real timer tick at least twice at the fake clock's current time. */
    private void tickTwice() throws InterruptedException {
        for (int i = 0; i < 25; i++) {
            Thread.sleep(100);
            engine.runTasks();
        }
    }

    private void awaitState(TorrentRuntime torrent, TorrentState state) throws Exception {
        Await.until("torrent in state " + state, PATIENCE, () -> {
            engine.runTasks();
            return torrent.status().state() == state;
        });
    }

    private RateLimits limits() {
        return new RateLimits(new TokenBucket(0, engine.clock::nanos), new TokenBucket(0, engine.clock::nanos));
    }
}
