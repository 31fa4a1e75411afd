package io.graytorrent.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class BencodeDecoderTest {
    private final BencodeDecoder decoder = new BencodeDecoder();

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    @Test
    void decodesEveryTypeAndNesting() {
        BValue value = decoder.decode(ascii("d4:listli1ei-42e0:e3:numi9223372036854775807e3:str5:helloe"));
        BDictionary dict = (BDictionary) value;
        assertEquals(List.of("list", "num", "str"), List.copyOf(dict.entries().keySet()));
        BList list = (BList) dict.get("list").orElseThrow();
        assertEquals(List.of(BInteger.of(1), BInteger.of(-42), BString.of("")), list.values());
        assertEquals(Long.MAX_VALUE, ((BInteger) dict.get("num").orElseThrow()).value());
        assertEquals("hello", ((BString) dict.get("str").orElseThrow()).text());
    }

    @Test
    void minimumLongIsInRange() {
        assertEquals(Long.MIN_VALUE, ((BInteger) decoder.decode(ascii("i-9223372036854775808e"))).value());
    }

    @Test
    void rawBytesAreTheExactInputSpan() {
        byte[] input = ascii("d4:infod1:ai1e1:b1:xe5:otheri0ee");
        BDictionary dict = (BDictionary) decoder.decode(input);
        assertArrayEquals(ascii("d1:ai1e1:b1:xe"), dict.get("info").orElseThrow().rawBytes());
        assertArrayEquals(input, dict.rawBytes());
    }

    @Test
    void prefixEndsWhereTheValueDoesAndLeavesTheRest() {
        byte[] input = ascii("d8:msg_typei1e5:piecei0eeRAW BYTES");
        BValue value = decoder.decodePrefix(input);
        assertEquals(ascii("d8:msg_typei1e5:piecei0ee").length, value.span().end());
        assertEquals(1, ((BInteger) ((BDictionary) value).get("msg_type").orElseThrow()).value());
        assertThrows(BencodeException.class, () -> decoder.decode(input), "the whole input is no single value");
        assertThrows(BencodeException.class, () -> decoder.decodePrefix(ascii("d8:msg_typei1e")), "unterminated");
    }

    @Test
    void tolerantDecodingKeepsTheFirstOfDuplicateKeysAndTheBytesAsReceived() {
        byte[] input = ascii("d4:infod1:bi2e1:ai1e1:ai9ee4:infoi0eeTAIL");
        BDictionary dict = (BDictionary) decoder.decodeTolerant(input);
        BDictionary info = (BDictionary) dict.get("info").orElseThrow();
        assertEquals(List.of("b", "a"), List.copyOf(info.entries().keySet()));
        assertEquals(1, ((BInteger) info.get("a").orElseThrow()).value());
        assertArrayEquals(ascii("d1:bi2e1:ai1e1:ai9ee"), info.rawBytes());
        assertEquals(input.length - "TAIL".length(), dict.span().end());
        assertThrows(BencodeException.class, () -> decoder.decodePrefix(input), "duplicates refused elsewhere");
        assertThrows(BencodeException.class, () -> decoder.decodeTolerant(ascii("d1:ai01ee")), "leading zero");
    }

    @Test
    void binaryStringsAndKeysSurviveUnchanged() {
        byte[] input = {'d', '1', ':', (byte) 0xff, '2', ':', 0, (byte) 0x80, 'e'};
        BDictionary dict = (BDictionary) decoder.decode(input);
        BString value = (BString) dict.entries().values().iterator().next();
        assertArrayEquals(new byte[] {0, (byte) 0x80}, value.bytes());
        assertEquals("\u00ff", dict.entries().keySet().iterator().next());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "i03e          | leading zero",
        "i-0e          | negative zero",
        "i-e           | without digits",
        "ie            | without digits",
        "i1.5e         | unexpected byte",
        "i99999999999999999999e | out of range",
        "i9223372036854775808e  | out of range",
        "03:abc        | leading zero",
        "-1:a          | unexpected byte",
        "5:abc         | past the end",
        "x             | unexpected byte",
        "i1ei2e        | trailing data",
        "di1ei2ee      | key is not a string",
        "d1:ai1e1:ai2ee| duplicate dictionary key",
        "l             | input ends",
        "d1:a          | input ends",
    })
    void rejectsMalformedInputWithAClearReason(String input, String reason) {
        BencodeException e = assertThrows(BencodeException.class, () -> decoder.decode(ascii(input)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void unsortedKeysAreAcceptedLeniently_butNotCanonically() {
        byte[] input = ascii("d1:bi1e1:ai2ee");
        assertEquals(2, ((BDictionary) decoder.decode(input)).entries().size());
        BencodeException e = assertThrows(BencodeException.class, () -> decoder.decodeCanonical(input));
        assertTrue(e.getMessage().contains("out of sorted order"), e.getMessage());
    }

    @Test
    void truncationAtEveryByteGivesOnlyBencodeExceptions() {
        byte[] full = ascii("d8:announce3:url4:infod6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:"
                + "aaaaaaaaaaaaaaaaaaaaee");
        decoder.decode(full);
        for (int cut = 0; cut < full.length; cut++) {
            byte[] truncated = Arrays.copyOf(full, cut);
            assertThrows(BencodeException.class, () -> decoder.decode(truncated), "cut at " + cut);
        }
    }

    @Test
    void aLengthClaimFarBeyondTheInputAllocatesNothing() {
        BencodeException e = assertThrows(BencodeException.class,
                () -> decoder.decode(ascii("2147483647:abc")));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        BencodeException beyond = assertThrows(BencodeException.class,
                () -> new BencodeDecoder(new BencodeLimits(1 << 20, 8, 1 << 20, 100)).decode(ascii("1000:abc")));
        assertTrue(beyond.getMessage().contains("past the end"), beyond.getMessage());
    }

    @Test
    void depthBombIsStoppedAtTheLimit() {
        byte[] bomb = ascii("l".repeat(100_000) + "e".repeat(100_000));
        BencodeException e = assertThrows(BencodeException.class, () -> decoder.decode(bomb));
        assertTrue(e.getMessage().contains("nesting deeper than 64"), e.getMessage());
        byte[] fine = ascii("l".repeat(64) + "e".repeat(64));
        decoder.decode(fine);
    }

    @Test
    void elementAndInputLimitsHold() {
        BencodeLimits small = new BencodeLimits(1000, 8, 100, 5);
        BencodeDecoder strict = new BencodeDecoder(small);
        assertThrows(BencodeException.class, () -> strict.decode(ascii("li1ei2ei3ei4ei5ee")));
        strict.decode(ascii("li1ei2ei3ei4ee"));
        assertThrows(BencodeException.class, () -> strict.decode(new byte[1001]));
        assertThrows(BencodeException.class, () -> strict.decode(ascii("101:" + "a".repeat(101))));
    }
}
