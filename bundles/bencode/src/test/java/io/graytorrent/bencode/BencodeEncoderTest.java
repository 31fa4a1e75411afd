package io.graytorrent.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Unit
class BencodeEncoderTest {

    @Test
    void writesKeysInByteOrderWhateverTheMapOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("zeta", 1);
        map.put("piece length", 16384L);
        map.put("Alpha", List.of("x", new byte[] {1, 2}));
        assertEquals("d5:Alphal1:x2:\u0001\u0002e12:piece lengthi16384e4:zetai1ee",
                new String(BencodeEncoder.encode(map), US_ASCII));
    }

    @Test
    void decodedCanonicalInputReEncodesToTheSameBytes() {
        byte[] input = "d3:bar4:spam3:fooi42e4:listl1:ai-1edeee".getBytes(US_ASCII);
        BValue value = new BencodeDecoder().decodeCanonical(input);
        assertArrayEquals(input, BencodeEncoder.encode(value));
    }

    @Test
    void binaryDictionaryKeysSurviveReEncoding() {
        // found by BencodeDecoderFuzzTest (seed binary_key): keys were re-encoded as UTF-8 text
        byte[] input = {'d', '2', ':', (byte) 0xff, (byte) 0xfe, '1', ':', 'x', 'e'};
        assertArrayEquals(input, BencodeEncoder.encode(new BencodeDecoder().decodeCanonical(input)));
    }

    @Test
    void textKeysOfPlainMapsAreWrittenAsUtf8() {
        assertArrayEquals("d2:\u00e9i1ee".getBytes(UTF_8), BencodeEncoder.encode(Map.of("\u00e9", 1)));
    }

    @Test
    void refusesWhatBencodeCannotExpress() {
        assertThrows(IllegalArgumentException.class, () -> BencodeEncoder.encode(1.5));
        assertThrows(IllegalArgumentException.class, () -> BencodeEncoder.encode(null));
    }
}
