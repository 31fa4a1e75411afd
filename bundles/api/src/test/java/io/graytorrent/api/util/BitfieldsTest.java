package io.graytorrent.api.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

@Unit
class BitfieldsTest {

    @Test
    void pieceZeroIsTheHighBitAndPiecesPastTheCountAreLeftOut() {
        BitSet pieces = new BitSet();
        pieces.set(0);
        pieces.set(9);
        pieces.set(10);
        pieces.set(11); // past the count of 11
        byte[] bits = Bitfields.pack(pieces, 11);
        assertArrayEquals(new byte[] {(byte) 0x80, 0x60}, bits);
        assertTrue(Bitfields.has(bits, 9));
        assertFalse(Bitfields.has(bits, 1));
        BitSet back = Bitfields.unpack(bits, 11);
        pieces.clear(11);
        assertEquals(pieces, back);
    }

    @Test
    void sha1AndTheCauseOfAFailedStage() {
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", HexFormat.of().formatHex(Sha1.of("abc".getBytes())));
        IOException cause = new IOException("disk");
        assertSame(cause, Completions.cause(new CompletionException(cause)));
        assertSame(cause, Completions.cause(cause));
    }
}
