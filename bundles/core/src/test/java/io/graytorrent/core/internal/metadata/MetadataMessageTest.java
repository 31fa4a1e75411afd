package io.graytorrent.core.internal.metadata;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class MetadataMessageTest {

    @Test
    void encodesAsBep9ShowsAndDecodesBack() throws MetadataProtocolException {
        assertArrayEquals(ascii("d8:msg_typei0e5:piecei0ee"), new MetadataMessage.Request(0).encode());
        assertArrayEquals(ascii("d8:msg_typei2e5:piecei3ee"), new MetadataMessage.Reject(3).encode());
        byte[] data = ascii("d8:msg_typei1e5:piecei1e10:total_sizei16390eeDATA..");
        assertArrayEquals(data, new MetadataMessage.Data(1, 16390, ascii("DATA..")).encode());

        MetadataMessage.Data decoded = (MetadataMessage.Data) MetadataMessage.decode(data).orElseThrow();
        assertEquals(1, decoded.piece());
        assertEquals(16390, decoded.totalSize());
        assertArrayEquals(ascii("DATA.."), decoded.data());
        assertEquals(Optional.of(new MetadataMessage.Request(7)), MetadataMessage.decode(ascii("d8:msg_typei0e5:piecei7ee")));
        assertEquals(Optional.of(new MetadataMessage.Reject(7)), MetadataMessage.decode(ascii("d5:piecei7e8:msg_typei2ee")));
    }

    @Test
    void aFullPieceFitsAndOneByteMoreDoesNot() throws MetadataProtocolException {
        byte[] piece = new byte[MetadataMessage.PIECE_LENGTH];
        Arrays.fill(piece, (byte) 'x');
        byte[] full = new MetadataMessage.Data(0, 40_000, piece).encode();
        assertEquals(MetadataMessage.PIECE_LENGTH, ((MetadataMessage.Data) MetadataMessage.decode(full).orElseThrow()).data().length);
        byte[] oversized = Arrays.copyOf(full, full.length + 1);
        assertTrue(assertThrows(MetadataProtocolException.class, () -> MetadataMessage.decode(oversized))
                .getMessage().contains("more than 16 KiB"));
        byte[] huge = new byte[1 << 20];
        assertTrue(assertThrows(MetadataProtocolException.class, () -> MetadataMessage.decode(huge))
                .getMessage().contains("too long"));
    }

    @Test
    void unknownMessageTypesAreIgnored() throws MetadataProtocolException {
        assertEquals(Optional.empty(), MetadataMessage.decode(ascii("d8:msg_typei3e5:piecei0ee")));
        assertEquals(Optional.empty(), MetadataMessage.decode(ascii("d8:msg_typei99e5:piecei0e3:newi1eeanything")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty                   | ''                                          | not bencode
            garbage                 | 'hello'                                     | not bencode
            truncated dictionary    | d8:msg_typei0e5:piecei0e                    | not bencode
            a list                  | li0ei0ee                                    | not a dictionary
            no msg_type             | d5:piecei0ee                                | 'msg_type'
            msg_type a string       | d8:msg_type1:05:piecei0ee                   | 'msg_type'
            no piece                | d8:msg_typei0ee                             | 'piece'
            negative piece          | d8:msg_typei1e5:piecei-1e10:total_sizei5eexxxxx | 'piece'
            data without total_size | d8:msg_typei1e5:piecei0eexxxx              | 'total_size'
            request with a tail     | d8:msg_typei0e5:piecei0eeXYZ                | request followed by 3 bytes
            reject with a tail      | d8:msg_typei2e5:piecei0eeX                  | reject followed by 1 bytes
            deep nesting            | d1:xllllllllleeeeeeeee8:msg_typei0e5:piecei0ee | not bencode
            """)
    void malformedMessagesAreOurError(String why, String payload, String message) {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataMessage.decode(ascii(payload)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }
}
