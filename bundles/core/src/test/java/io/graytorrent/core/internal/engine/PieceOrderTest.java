package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.Slow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming order seen on the wire: a whole engine downloads from a {@link RecordingSeed} over a
 * loopback TCP connection, and the order of the REQUESTs that seed received is checked. Pieces are
 * one block (16 KiB) each, so every REQUEST is one piece.
 */
@Timeout(90)
@Slow
class PieceOrderTest {
    private static final int PIECE = 16 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void sequentialRequestsEveryPieceInIndexOrder() throws Exception {
        List<Integer> order = download(new TorrentOptions(true, false, SeedingGoals.FOLLOW_GLOBAL));
        assertEquals(new ArrayList<>(new TreeSet<>(order)), order, "each piece once, in index order");
    }

    @Test
    void withoutSequentialTheOrderIsRandomThenRarestFirst() throws Exception {
        List<Integer> order = download(TorrentOptions.DEFAULTS);
        assertEquals(new TreeSet<>(order).size(), order.size(), "each piece once");
        assertNotEquals(new ArrayList<>(new TreeSet<>(order)), order, "not index order (the check above means something)");
    }

    @Test
    void firstAndLastPiecesOfEachFileComeFirstThenTheRest() throws Exception {
        List<Integer> order = download(new TorrentOptions(false, true, SeedingGoals.FOLLOW_GLOBAL));
        TreeSet<Integer> edges = new TreeSet<>();
        for (FileEntry file : metainfo.files()) {
            edges.add((int) (file.offset() / PIECE));
            edges.add((int) ((file.offset() + file.length() - 1) / PIECE));
        }
        assertEquals(new ArrayList<>(edges), order.subList(0, edges.size()),
                "the edges of the three files first, lowest first; then " + order.subList(edges.size(), order.size()));
        assertNotEquals(new ArrayList<>(new TreeSet<>(order)), order, "the rest rarest-first, not in index order");
    }

    private Metainfo metainfo;

    /** Downloads a three-file torrent (62 pieces) with {@code options} and answers the pieces as requested. */
    private List<Integer> download(TorrentOptions options) throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "movie", PIECE, 23, 600_000, 300_000, 100_000);
        metainfo = new MetainfoParser().parse(torrent);
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"));
             RecordingSeed seed = new RecordingSeed(metainfo, dir.resolve("seed"))) {
            fixture.engine.add(new AddTorrent(torrent, dir.resolve("down"), true, List.of()));
            fixture.engine.updateOptions("1", options);
            fixture.engine.start("1");
            fixture.engine.connect("1", seed.address());
            fixture.await(1, EngineFixture.seeding(), PATIENCE);
            TestData.assertSameTree(dir.resolve("seed/movie"), dir.resolve("down/movie"));
            assertEquals(options, fixture.engine.options("1"));
            System.out.printf("piece order with %s: %s%n", options, seed.requestedPieces);
            return List.copyOf(seed.requestedPieces);
        }
    }
}
