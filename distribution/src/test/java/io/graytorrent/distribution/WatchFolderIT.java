package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Slow;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server (a copy of the distribution, configured by files in its plugins/) with a watch folder
 * and an add hook: files written slowly, renamed into place, invalid, and dropped while it is down.
 */
@Timeout(180)
@Slow
@ExtendWith(LeftoverProcesses.class)
class WatchFolderIT {
    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void filesDroppedAreAddedOnceCompleteAndTheHookHearsOfEach() throws Exception {
        Path watched = Files.createDirectories(work.resolve("watched"));
        Path hookOutput = Files.createDirectories(work.resolve("hook"));
        Path hook = work.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\nenv | grep '^GRAY_' | sort > \"$1/$GRAY_TORRENT_ID.tmp\"\n"
                + "mv \"$1/$GRAY_TORRENT_ID.tmp\" \"$1/$GRAY_TORRENT_ID.env\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        gray = GrayCommand.configured(work, "io.graytorrent.watch.cfg",
                "watchDirectory=" + watched + "\npollSeconds=1\npaused=true\n");
        Files.writeString(gray.configuration("io.graytorrent.hooks.cfg"),
                "addedCommand=[\"" + hook + "\",\"" + hookOutput + "\"]\ntimeoutSeconds=I\"10\"\n");
        for (String name : List.of("one", "two", "three")) {
            Files.write(Files.createDirectories(work.resolve("seed")).resolve(name + ".bin"), new byte[50_000]);
        }
        Path home = work.resolve("home");
        for (String name : List.of("one", "two", "three")) {
            GrayCommand.assertSucceeds(gray.run("create", "seed/" + name + ".bin", "-o", name + ".torrent"));
        }
        GrayCommand.assertSucceeds(gray.run("server", "start"));
        try {
            // written in pieces, a third of a poll apart: never read half-written
            byte[] one = Files.readAllBytes(work.resolve("one.torrent"));
            try (OutputStream out = Files.newOutputStream(watched.resolve("one.torrent"))) {
                for (int at = 0; at < one.length; at += one.length / 4 + 1) {
                    out.write(Arrays.copyOfRange(one, at, Math.min(one.length, at + one.length / 4 + 1)));
                    out.flush();
                    Thread.sleep(300);
                }
            }
            // written elsewhere in the folder under another name, then renamed into place
            Files.copy(work.resolve("two.torrent"), watched.resolve("two.torrent.part"));
            Files.move(watched.resolve("two.torrent.part"), watched.resolve("two.torrent"));
            Files.writeString(watched.resolve("bad.torrent"), "not bencode");
            Await.until("one, two and bad taken", Duration.ofSeconds(20), () -> Files.exists(watched.resolve("one.torrent.added"))
                    && Files.exists(watched.resolve("two.torrent.added")) && Files.exists(watched.resolve("bad.torrent.invalid")));
            String listed = GrayCommand.assertSucceeds(gray.run("ls")).out();
            assertTrue(listed.contains("one.bin") && listed.contains("two.bin") && listed.contains("stopped"), listed);

            GrayCommand.assertSucceeds(gray.run("server", "stop"));
            Files.copy(work.resolve("three.torrent"), watched.resolve("three.torrent"));
            GrayCommand.assertSucceeds(gray.run("server", "start"));
            Await.until("three taken after the restart", Duration.ofSeconds(20),
                    () -> Files.exists(watched.resolve("three.torrent.added")));
            assertTrue(GrayCommand.assertSucceeds(gray.run("ls")).out().contains("three.bin"));

            Await.until("the add hook ran for each", Duration.ofSeconds(20), () -> envFiles(hookOutput).size() == 3);
            List<String> environment = null;
            for (Path file : envFiles(hookOutput)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.contains("GRAY_TORRENT_NAME=one.bin")) {
                    environment = lines;
                }
            }
            assertTrue(environment != null, "the hook heard of one.bin");
            assertTrue(environment.contains("GRAY_EVENT=added"), environment.toString());
            assertTrue(environment.stream().anyMatch(line -> line.matches("GRAY_TORRENT_ID=[12]")), environment.toString());
            assertTrue(environment.stream().anyMatch(line -> line.matches("GRAY_TORRENT_INFOHASH=[0-9a-f]{40}")),
                    environment.toString());
            assertTrue(environment.stream().anyMatch(line -> line.startsWith("GRAY_TORRENT_DIR=/")), environment.toString());
        } finally {
            gray.run("server", "stop");
        }
    }

    private static List<Path> envFiles(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".env")).toList();
        }
    }
}
