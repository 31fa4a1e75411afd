package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An engine process killed with SIGKILL mid-download, then started again on the same state directory. */
@Slow
class KillRestartTest {
    private static final long SIZE = 12_000_000;
    private static final int PIECE_LENGTH = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aKilledEngineKeepsItsIdsAndCheckpointedPiecesAndFinishes() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "killed", PIECE_LENGTH, 8, 7_000_000, 5_000_000);
        Path torrentFile = Files.write(dir.resolve("killed.torrent"), torrent);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String seederPort = Integer.toString(seeder.address().getPort());
            try (EngineNode node = new EngineNode(dir.resolve("state"), torrentFile, dir.resolve("leech"),
                    dir.resolve("child.log"), List.of("0", seederPort))) {
                node.start(1 << 20);
                Map<String, String> partial = node.await(s -> Long.parseLong(s.get("verified")) > SIZE / 3, WAIT);
                assertEquals("1", partial.get("id"));
                // checkpoints run every 1-2 s (on the once-a-second tick); read what the last one wrote
                long checkpointed = Await.value("a checkpoint of a third of the data", WAIT,
                        () -> TestData.checkpointedBytes(dir.resolve("state"), SIZE, PIECE_LENGTH), bytes -> bytes > SIZE / 3);
                node.kill();

                node.start(0);
                Map<String, String> resumed = node.await(s -> !s.get("state").equals("CHECKING"), WAIT);
                assertEquals("1", resumed.get("id"), "the same id after the crash");
                assertTrue(Long.parseLong(resumed.get("verified")) >= checkpointed,
                        "kept " + resumed.get("verified") + " verified bytes, had checkpointed " + checkpointed);
                node.await(EngineNode.inState("SEEDING"), WAIT);
            }
            TestData.assertSameTree(dir.resolve("seed/killed"), dir.resolve("leech/killed"));
        }
    }
}
