package io.graytorrent.bencode;

import com.dampcake.bencode.BencodeOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes values to bencode. Accepts {@link BValue}s and plain Java values: {@code byte[]} and
 * {@code String} (UTF-8) as strings, integral {@code Number}s, {@code List}s and {@code Map}s with
 * {@code String} keys. Dictionary keys are written in the byte order BEP 3 requires.
 */
public final class BencodeEncoder {
    private BencodeEncoder() {
    }

    public static byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // the writer encodes dictionary keys with this charset: ISO-8859-1 maps each char to one byte,
        // so keys reach it as byte strings held one char per byte, like BDictionary holds them
        try (BencodeOutputStream out = new BencodeOutputStream(bytes, StandardCharsets.ISO_8859_1)) {
            Object plain = toPlain(value);
            if (plain instanceof Map<?, ?> map) {
                out.writeDictionary(map);
            } else if (plain instanceof List<?> list) {
                out.writeList(list);
            } else if (plain instanceof Long number) {
                out.writeNumber(number);
            } else {
                out.writeString((byte[]) plain);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Converts to the types the underlying writer knows: byte[], Long, List, sorted Map. */
    private static Object toPlain(Object value) {
        if (value instanceof BString s) {
            return s.bytes();
        } else if (value instanceof BInteger i) {
            return i.value();
        } else if (value instanceof BList l) {
            return toPlain(l.values());
        } else if (value instanceof BDictionary d) {
            // one char per byte, so String order is unsigned byte order as BEP 3 sorts keys
            Map<String, Object> sorted = new TreeMap<>();
            d.entries().forEach((k, v) -> sorted.put(k, toPlain(v)));
            return sorted;
        } else if (value instanceof byte[] b) {
            return b;
        } else if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        } else if (value instanceof List<?> list) {
            List<Object> plain = new ArrayList<>(list.size());
            list.forEach(v -> plain.add(toPlain(v)));
            return plain;
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(
                    new String(((String) k).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), toPlain(v)));
            return sorted;
        }
        throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass().getName()));
    }
}
