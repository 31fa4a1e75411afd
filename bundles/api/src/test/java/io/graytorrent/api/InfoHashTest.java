package io.graytorrent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import org.junit.jupiter.api.Test;

@Unit
class InfoHashTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @Test
    void hexRoundTripsInLowerCase() {
        assertEquals(HEX, InfoHash.parse(HEX.toUpperCase()).toHex());
    }

    @Test
    void base32FormNamesTheSameHash() {
        // base32 of the bytes above, as a magnet link would carry it
        assertEquals(InfoHash.parse(HEX), InfoHash.parse("YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK"));
    }

    @Test
    void rejectsWrongLengthsAndDigits() {
        assertThrows(IllegalArgumentException.class, () -> InfoHash.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> InfoHash.parse("z".repeat(40)));
        assertThrows(IllegalArgumentException.class, () -> InfoHash.parse("1".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> InfoHash.of(new byte[19]));
    }
}
