package io.graytorrent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class OneShotStorageTest {
    @TempDir
    Path temp;
    private Distribution dist;
    private GrayHome home;

    @BeforeEach
    void setUp() throws IOException {
        dist = new Distribution(temp.resolve("dist"));
        Files.createDirectories(dist.root().resolve("lib"));
        Files.createDirectories(dist.root().resolve("bundle").resolve("core"));
        Files.createDirectories(dist.plugins());
        Files.writeString(dist.root().resolve("lib").resolve("felix.jar"), "felix");
        Files.writeString(dist.root().resolve("bundle").resolve("core").resolve("engine.jar"), "engine");
        home = new GrayHome(temp.resolve("home"));
        home.create();
    }

    /** Opens the storage as a command would, leaves a file in it, stops cleanly or not; returns the directory. */
    private Path useOnce(boolean stopCleanly) throws IOException {
        try (OneShotStorage storage = OneShotStorage.open(dist, home)) {
            Files.createDirectories(storage.directory());
            Files.writeString(storage.directory().resolve("bundle-state"), "installed");
            if (stopCleanly) {
                storage.stoppedCleanly();
            }
            return storage.directory();
        }
    }

    @Test
    void aCleanlyStoppedStorageIsReusedByTheNextCommand() throws IOException {
        try (OneShotStorage first = OneShotStorage.open(dist, home)) {
            assertFalse(first.reusable(), "nothing to reuse in a new home");
        }
        Path directory = useOnce(true);
        try (OneShotStorage next = OneShotStorage.open(dist, home)) {
            assertTrue(next.reusable());
            assertEquals(directory, next.directory());
            assertTrue(Files.exists(directory.resolve("bundle-state")));
        }
    }

    @Test
    void aRunThatDidNotStopCleanlyLeavesNothingToReuse() throws IOException {
        useOnce(true);
        useOnce(false);
        try (OneShotStorage next = OneShotStorage.open(dist, home)) {
            assertFalse(next.reusable());
        }
    }

    @Test
    void aChangedJarOrPluginsFileMeansACleanStart() throws IOException {
        useOnce(true);
        Files.writeString(dist.plugins().resolve("io.graytorrent.core.cfg"), "maxConnections=10");
        try (OneShotStorage next = OneShotStorage.open(dist, home)) {
            assertFalse(next.reusable(), "a new plugins/ file");
        }
        useOnce(true);
        Files.writeString(dist.root().resolve("bundle").resolve("core").resolve("engine.jar"), "engine, upgraded");
        try (OneShotStorage next = OneShotStorage.open(dist, home)) {
            assertFalse(next.reusable(), "a jar of another size");
        }
    }

    @Test
    void aSecondCommandWhileTheFirstRunsGetsATemporaryStorageDeletedAtItsEnd() throws IOException {
        useOnce(true);
        try (OneShotStorage first = OneShotStorage.open(dist, home)) {
            Path temporary;
            try (OneShotStorage second = OneShotStorage.open(dist, home)) {
                temporary = second.directory();
                assertNotEquals(first.directory(), temporary);
                assertFalse(second.reusable());
                second.stoppedCleanly();
            }
            assertFalse(Files.exists(temporary));
            assertTrue(first.reusable(), "the second command left the kept storage as it was");
        }
    }
}
