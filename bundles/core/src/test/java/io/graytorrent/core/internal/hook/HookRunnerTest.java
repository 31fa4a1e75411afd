package io.graytorrent.core.internal.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentState;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (a small script and sleep), each bounded to a few seconds. */
@Unit
@Timeout(20)
class HookRunnerTest {
    @TempDir
    Path work;

    private Path script(String body) throws Exception {
        Path script = work.resolve("hook.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void theHookGetsTheTorrentInItsEnvironmentAndItsArgumentsUnsplit() throws Exception {
        Path script = script("echo \"$GRAY_EVENT|$GRAY_TORRENT_ID|$GRAY_TORRENT_NAME|$GRAY_TORRENT_INFOHASH|$GRAY_TORRENT_DIR|$GRAY_TORRENT_LABELS\"\n"
                + "echo \"$#:$1\"\necho oops >&2\nexit 3");
        HookEvent event = new HookEvent(HookEvent.Kind.COMPLETED,
                HookEventsTest.status(7, TorrentState.SEEDING));
        HookRunner.Outcome outcome = HookRunner.run(List.of(script.toString(), "one arg; $(touch x)"),
                event.environment(Set.of("linux")), Duration.ofSeconds(10));
        assertFalse(outcome.killed());
        assertEquals(3, outcome.exitCode());
        assertEquals(List.of("completed|7|name 7|" + "%040x".formatted(7) + "|/data/x|linux", "1:one arg; $(touch x)", "oops"),
                outcome.output());
        assertFalse(Files.exists(work.resolve("x")));
    }

    @Test
    void aHookThatHangsIsKilledAtItsTimeLimit() throws Exception {
        Path script = script("echo started\nsleep 60\necho never");
        long start = System.nanoTime();
        HookRunner.Outcome outcome = HookRunner.run(List.of(script.toString()), Map.of(), Duration.ofSeconds(1));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(outcome.killed());
        assertEquals(List.of("started"), outcome.output());
        assertTrue(seconds < 5, "killed within its limit and the grace period: " + seconds + " s");
    }
}
