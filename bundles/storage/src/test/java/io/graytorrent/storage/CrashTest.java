package io.graytorrent.storage;

import static io.graytorrent.storage.TorrentStorageTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.testkit.Seeds;
import io.graytorrent.testkit.Slow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL at random moments, then reopens its storage here and checks the
 * two promises of the resume record: no piece is verified whose bytes on disk are wrong, and every
 * piece a finished checkpoint recorded is still verified.
 */
@Slow
class CrashTest {
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(40);
    private static final int MAX_KILLS = 25;

    @TempDir
    Path home;
    @TempDir
    Path downloads;

    /** Multi-file, with padding, a tiny file and a short last piece: 4 MiB in pieces of 64 KiB. */
    static TestTorrent torrent() {
        return TestTorrent.of("crash", 64 << 10, 42,
                "x/a:300000", "pad:27680", "b:5", "c:1500000", "empty:0", "d:2366619");
    }

    @Test
    void aKilledWriterNeverLeavesWrongPiecesVerifiedNorLosesCheckpointedOnes() throws Exception {
        TestTorrent torrent = torrent();
        Random random = Seeds.random(CrashTest.class);
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int kills = 0;
        int completions = 0;
        while (kills < MAX_KILLS && System.nanoTime() < deadline) {
            AtomicReference<String> lastCheckpoint = new AtomicReference<>("");
            CountDownLatch opened = new CountDownLatch(1);
            Process writer = startWriter(random.nextLong());
            boolean finished;
            try {
                Thread reader = collectCheckpoints(writer, opened, lastCheckpoint);
                assertTrue(opened.await(30, TimeUnit.SECONDS), "the writer did not open the storage");
                // kill while it writes: its whole run takes a few hundred milliseconds
                finished = writer.waitFor(random.nextInt(250), TimeUnit.MILLISECONDS);
                writer.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks, no flush
                reader.join(5_000);
            } finally {
                writer.destroyForcibly();
            }
            if (!finished) {
                kills++;
            }
            BitSet checkpointed = BitSet.valueOf(HexFormat.of().parseHex(lastCheckpoint.get()));
            BitSet verified = reopenAndCheck(torrent, checkpointed);
            if (verified.cardinality() == torrent.metainfo.pieceCount()) {
                completions++;
                wipe(); // start over so later kills again land in the middle of the download
            }
        }
        assertTrue(kills >= 5, "only " + kills + " writers were killed mid-way in the time budget");
        System.out.println("crash test: " + kills + " kills, " + completions + " completed downloads");
    }

    private BitSet reopenAndCheck(TestTorrent torrent, BitSet checkpointed) throws IOException {
        try (StorageService service = Storages.create(StorageConfig.defaults(home.resolve("state")))) {
            TorrentStorage storage = await(service.open(torrent.metainfo, downloads, List.of()));
            BitSet verified = storage.verifiedPieces();
            await(storage.closeAsync());
            byte[] onDisk = readTorrentBytes(torrent);
            for (int piece = verified.nextSetBit(0); piece >= 0; piece = verified.nextSetBit(piece + 1)) {
                int start = piece * torrent.metainfo.pieceLength();
                int end = start + torrent.metainfo.pieceLength(piece);
                assertTrue(Arrays.equals(torrent.content, start, end, onDisk, start, end),
                        "piece " + piece + " is verified but its bytes on disk are wrong");
            }
            BitSet lost = (BitSet) checkpointed.clone();
            lost.andNot(verified);
            assertEquals(new BitSet(), lost, "checkpointed pieces lost");
            return verified;
        }
    }

    /** The torrent's byte stream as the files hold it now, read without our code; padding as zeros. */
    private byte[] readTorrentBytes(TestTorrent torrent) throws IOException {
        byte[] bytes = new byte[torrent.content.length];
        Path root = downloads.resolve(torrent.metainfo.name());
        for (FileEntry file : torrent.metainfo.files()) {
            if (file.isPadding()) {
                continue;
            }
            try {
                byte[] content = Files.readAllBytes(root.resolve(file.displayPath()));
                System.arraycopy(content, 0, bytes, (int) file.offset(), (int) Math.min(content.length, file.length()));
            } catch (NoSuchFileException e) {
                Arrays.fill(bytes, (int) file.offset(), (int) (file.offset() + file.length()), (byte) 0x5a);
            }
        }
        return bytes;
    }

    private Process startWriter(long seed) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), home.resolve("state").toString(), downloads.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static Thread collectCheckpoints(Process writer, CountDownLatch opened, AtomicReference<String> lastCheckpoint) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream()))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("OPEN ")) {
                        opened.countDown();
                    } else if (line.startsWith("CHECKPOINT ")) {
                        lastCheckpoint.set(line.substring("CHECKPOINT ".length()));
                    }
                }
            } catch (IOException e) {
                // the writer was killed mid-line: what was read before stands
            }
        }, "crash-writer-output");
        reader.start();
        return reader;
    }

    private void wipe() throws IOException {
        for (Path directory : List.of(downloads, home)) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).filter(path -> !path.equals(directory)).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
