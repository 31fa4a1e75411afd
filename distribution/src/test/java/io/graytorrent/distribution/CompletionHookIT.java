package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LeftoverProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion hook after a real download: a server (a copy of the distribution with
 * {@code completedCommand} in its plugins/) downloads a labelled torrent from a libtorrent seeder on
 * 127.0.0.1, and the program runs once, with the torrent's id, name, infohash, directory and labels
 * in its environment, after the data is complete on disk.
 */
@Timeout(180)
@Interop
@ExtendWith(LeftoverProcesses.class)
class CompletionHookIT {
    private static final Pattern ADDED_ID = Pattern.compile("^added (\\d+): ", Pattern.MULTILINE);

    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void theHookRunsOnceWhenTheDownloadCompletesWithTheTorrentsEnvironment() throws Exception {
        Path hookOutput = Files.createDirectories(work.resolve("hook"));
        Path hook = work.resolve("hook.sh");
        // what the hook saw, and whether the data was all there when it ran
        Files.writeString(hook, "#!/bin/sh\nenv | grep -E '^GRAY_(EVENT|TORRENT_)' | sort > \"$1/$GRAY_TORRENT_ID.tmp\"\n"
                + "cmp -s \"$2\" \"$GRAY_TORRENT_DIR/b.bin\" && echo same >> \"$1/$GRAY_TORRENT_ID.tmp\"\n"
                + "mv \"$1/$GRAY_TORRENT_ID.tmp\" \"$1/$GRAY_TORRENT_ID.$GRAY_EVENT.$$\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        Path seedData = Files.createDirectories(work.resolve("seed/data"));
        Random random = new Random(23);
        for (String name : List.of("a.bin", "b.bin")) {
            byte[] bytes = new byte[3 << 20];
            random.nextBytes(bytes);
            Files.write(seedData.resolve(name), bytes);
        }
        gray = GrayCommand.configured(work, "io.graytorrent.hooks.cfg", "completedCommand=[\"" + hook + "\",\""
                + hookOutput + "\",\"" + seedData.resolve("b.bin") + "\"]\ntimeoutSeconds=I\"20\"\nmaxConcurrent=I\"2\"\n");
        GrayCommand.assertSucceeds(gray.run("create", "seed/data", "--piece-size", "256k", "-o", "data.torrent"));
        GrayCommand.assertSucceeds(gray.run("server", "start"));
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("seed"), 0)) {
            String added = GrayCommand.assertSucceeds(gray.run("add", "data.torrent", "-d", work.resolve("out").toString(),
                    "--paused")).out();
            Matcher id = ADDED_ID.matcher(added);
            assertTrue(id.find(), "the add says the torrent's id: " + added);
            String ref = id.group(1);
            GrayCommand.assertSucceeds(gray.run("label", ref, "+linux", "+iso"));
            GrayCommand.assertSucceeds(gray.run("start", ref));
            GrayCommand.assertSucceeds(gray.run("connect", ref, seeder.address()));
            Await.until("the completed hook ran", Duration.ofSeconds(90), () -> hookRuns(hookOutput).size() == 1);
            Thread.sleep(2_000); // a second run would come now, if the seeding that follows counted again
            List<Path> runs = hookRuns(hookOutput);
            assertEquals(1, runs.size(), "one completion, one run: " + runs);
            assertTrue(runs.get(0).getFileName().toString().startsWith(ref + ".completed."), runs.toString());
            List<String> environment = Files.readAllLines(runs.get(0));
            String infoHash = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(GrayCommand.assertSucceeds(gray.run("info", ref, "--json")).out()).get("infoHash").asText();
            assertEquals(List.of("GRAY_EVENT=completed", "GRAY_TORRENT_DIR=" + work.resolve("out/data"),
                    "GRAY_TORRENT_ID=" + ref, "GRAY_TORRENT_INFOHASH=" + infoHash, "GRAY_TORRENT_LABELS=iso,linux",
                    "GRAY_TORRENT_NAME=data", "same"), environment, "the environment, and the data complete when it ran");
            assertEquals(-1, Files.mismatch(seedData.resolve("a.bin"), work.resolve("out/data/a.bin")));
        } finally {
            gray.run("server", "stop");
        }
    }

    private static List<Path> hookRuns(Path directory) throws java.io.IOException {
        try (var files = Files.list(directory)) {
            return files.filter(file -> !file.getFileName().toString().endsWith(".tmp")).sorted().toList();
        }
    }
}
