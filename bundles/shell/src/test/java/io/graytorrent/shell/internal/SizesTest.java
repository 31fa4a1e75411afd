package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class SizesTest {
    @Test
    void formatsInBinaryUnits() {
        assertEquals("0 B", Sizes.format(0));
        assertEquals("1023 B", Sizes.format(1023));
        assertEquals("1.0 KiB", Sizes.format(1024));
        assertEquals("1.5 MiB", Sizes.format(3 << 19));
        assertEquals("8.0 EiB", Sizes.format(Long.MAX_VALUE));
    }

    @Test
    void parsesPlainAndSuffixedSizes() {
        assertEquals(262144, Sizes.parse("262144"));
        assertEquals(262144, Sizes.parse("256k"));
        assertEquals(262144, Sizes.parse("256KiB"));
        assertEquals(1 << 20, Sizes.parse("1m"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999999999m"));
    }
}
