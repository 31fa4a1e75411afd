package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.util.Bitfields;
import io.graytorrent.api.InfoHash;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.api.FilePriority;
import io.graytorrent.storage.internal.ResumeData.FileStamp;
import io.graytorrent.testkit.Unit;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Unit
class ResumeDataTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");

    private static ResumeData sample() {
        BitSet pieces = new BitSet();
        pieces.set(0);
        pieces.set(9);
        pieces.set(10);
        return new ResumeData(HASH, "/srv/downloads/é", pieces, 11, List.of(FilePriority.SKIP, FilePriority.HIGH),
                List.of(FileStamp.ABSENT, new FileStamp(1234, 1_700_000_000_123_456_789L)), new FileStamp(99, 5));
    }

    @Test
    void encodesAndDecodesEveryField() {
        ResumeData record = sample();
        ResumeData decoded = ResumeData.decode(record.encode(), 11);
        assertEquals(record, decoded);
    }

    @Test
    void theBitfieldUsesWireOrder() {
        assertArrayEquals(new byte[] {(byte) 0x80, 0x60}, Bitfields.pack(sample().pieces(), 11));
    }

    @Test
    void damagedOrForeignRecordsAreRejectedWithIllegalArgument() {
        byte[] good = sample().encode();
        assertThrows(IllegalArgumentException.class, () -> ResumeData.decode(good, 20), "wrong piece count");
        assertThrows(IllegalArgumentException.class, () -> ResumeData.decode(new byte[] {'d', '1'}, 11));
        assertThrows(IllegalArgumentException.class, () -> ResumeData.decode(BencodeEncoder.encode(Map.of("version", 2)), 11));
        assertThrows(IllegalArgumentException.class, () -> ResumeData.decode(BencodeEncoder.encode(List.of(1)), 11));
        assertThrows(IllegalArgumentException.class,
                () -> ResumeData.decode(BencodeEncoder.encode(Map.of("version", 1, "pieces", "xx")), 11));
    }
}
