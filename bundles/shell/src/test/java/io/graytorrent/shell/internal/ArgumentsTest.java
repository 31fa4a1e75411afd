package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@Unit
class ArgumentsTest {
    private static final Map<String, String> VALUES = Map.of("-t", "--tracker", "--tracker", "--tracker", "-o", "--output");

    private static Arguments parse(String... args) {
        return new Arguments(args, Set.of("--private"), VALUES);
    }

    @Test
    void optionsMayComeAnywhereAndRepeat() {
        Arguments a = parse("-t", "http://a", "dir", "--tracker", "udp://b", "--private", "-o", "x.torrent");
        assertEquals(List.of("http://a", "udp://b"), a.all("--tracker"));
        assertTrue(a.flag("--private"));
        assertEquals("x.torrent", a.single("--output", null));
        assertEquals(List.of("dir"), a.positionals(1, "u"));
    }

    @Test
    void doubleDashEndsOptions() {
        Arguments a = parse("--", "-t");
        assertEquals(List.of("-t"), a.positionals(1, "u"));
        assertFalse(a.flag("--private"));
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertEquals("unknown option --bogus",
                assertThrows(IllegalArgumentException.class, () -> parse("--bogus")).getMessage());
        assertEquals("option -o needs a value",
                assertThrows(IllegalArgumentException.class, () -> parse("dir", "-o")).getMessage());
        assertEquals("option --output given more than once",
                assertThrows(IllegalArgumentException.class, () -> parse("-o", "a", "-o", "b").single("--output", null)).getMessage());
        assertEquals("usage: info FILE",
                assertThrows(IllegalArgumentException.class, () -> parse("a", "b").positionals(1, "info FILE")).getMessage());
    }
}
