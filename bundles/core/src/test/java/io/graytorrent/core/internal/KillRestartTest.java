package io.graytorrent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An engine process killed with SIGKILL mid-download, then started again on the same state directory. */
class KillRestartTest {
    private static final long SIZE = 12_000_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aKilledEngineKeepsItsIdsAndCheckpointedPiecesAndFinishes() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "killed", 64 * 1024, 8, 7_000_000, 5_000_000);
        Path torrentFile = Files.write(dir.resolve("killed.torrent"), torrent);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), java.time.Duration.ofSeconds(30));
            String port = Integer.toString(seeder.address().getPort());
            String[] args = {dir.resolve("state").toString(), torrentFile.toString(), dir.resolve("leech").toString(), port};

            Process first = start(args, Long.toString(1 << 20));
            long checkpointed;
            try (BufferedReader out = reader(first)) {
                Map<String, String> partial = awaitStatus(out, s -> Long.parseLong(s.get("verified")) > SIZE / 3);
                assertEquals("1", partial.get("id"));
                // checkpoints run every 1-2 s (on the once-a-second tick): 3 s later one has recorded this much
                checkpointed = Long.parseLong(partial.get("verified"));
                Thread.sleep(3000);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
                first.waitFor(10, TimeUnit.SECONDS);
            }

            Process second = start(args, "0");
            try (BufferedReader out = reader(second)) {
                Map<String, String> resumed = awaitStatus(out, s -> !s.get("state").equals("CHECKING"));
                assertEquals("1", resumed.get("id"), "the same id after the crash");
                assertTrue(Long.parseLong(resumed.get("verified")) >= checkpointed,
                        "kept " + resumed.get("verified") + " verified bytes, had checkpointed " + checkpointed);
                awaitStatus(out, s -> s.get("state").equals("SEEDING"));
            } finally {
                second.destroyForcibly();
                second.waitFor(10, TimeUnit.SECONDS);
            }
            TestData.assertSameTree(dir.resolve("seed/killed"), dir.resolve("leech/killed"));
        }
    }

    private Process start(String[] args, String rate) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = Stream.concat(Stream.of(java, "-cp", System.getProperty("java.class.path"),
                EngineProcess.class.getName()), Stream.concat(Stream.of(args), Stream.of(rate))).toArray(String[]::new);
        return new ProcessBuilder(command).redirectError(dir.resolve("child.log").toFile()).start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads status lines until one matches; the test's timeout bounds the wait. */
    private static Map<String, String> awaitStatus(BufferedReader out, Predicate<Map<String, String>> condition)
            throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("status ")) {
                Map<String, String> fields = Stream.of(line.substring(7).split(" "))
                        .map(f -> f.split("=", 2)).collect(Collectors.toMap(f -> f[0], f -> f[1]));
                if (condition.test(fields)) {
                    return fields;
                }
            }
        }
        throw new AssertionError("the engine process exited");
    }
}
