package io.graytorrent.core.internal.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class LabelFilesTest {
    @TempDir
    Path state;

    @Test
    void labelsAreReadBackSortedAndNoLabelsMeansNoFile() throws Exception {
        LabelFiles files = new LabelFiles(state);
        files.save(3, new TreeSet<>(Set.of("work", "linux", "Ünïcode")));
        files.save(4, new TreeSet<>(Set.of("tv")));
        assertEquals(Map.of(3, new TreeSet<>(Set.of("linux", "work", "Ünïcode")), 4, new TreeSet<>(Set.of("tv"))),
                new LabelFiles(state).loadAll());
        files.save(4, new TreeSet<>());
        assertFalse(Files.exists(state.resolve("torrent-4.labels")));
        files.delete(3);
        assertEquals(Map.of(), files.loadAll());
    }

    @Test
    void aDamagedFileIsSkippedAndTheOthersStay() throws Exception {
        Files.writeString(state.resolve("torrent-5.labels"), "ok\nnot ok\n");
        Files.writeString(state.resolve("torrent-x.labels"), "ok\n");
        new LabelFiles(state).save(6, new TreeSet<>(Set.of("fine")));
        assertEquals(Map.of(6, new TreeSet<>(Set.of("fine"))), new LabelFiles(state).loadAll());
    }

    @Test
    void labelsMustBeWordsAndFewEnough() {
        assertThrows(IllegalArgumentException.class, () -> Labels.checked(Set.of("a,b")));
        assertThrows(IllegalArgumentException.class, () -> Labels.checked(Set.of("-starts-with-dash")));
        assertThrows(IllegalArgumentException.class, () -> Labels.checked(Set.of("x".repeat(65))));
        assertThrows(IllegalArgumentException.class, () -> Labels.checked(Set.of("")));
        Set<String> many = new HashSet<>();
        IntStream.range(0, 33).forEach(i -> many.add("l" + i));
        assertThrows(IllegalArgumentException.class, () -> Labels.checked(many));
        assertEquals(new TreeSet<>(Set.of("a.b_c-d", "x".repeat(64))), Labels.checked(Set.of("a.b_c-d", "x".repeat(64))));
    }
}
