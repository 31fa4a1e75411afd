package io.graytorrent.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class AtomicFilesTest {
    @TempDir
    Path directory;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFileBehind() throws Exception {
        Path target = directory.resolve("state/abc.resume");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        AtomicFiles.write(target, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(target));
        try (var listing = Files.list(target.getParent())) {
            assertEquals(List.of(target), listing.toList());
        }
    }
}
