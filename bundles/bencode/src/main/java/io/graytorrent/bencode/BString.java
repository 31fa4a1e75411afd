package io.graytorrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A bencode byte string: bytes, not text; {@link #text()} decodes them as UTF-8. */
public record BString(byte[] bytes, Span span) implements BValue {

    public static BString of(String text) {
        return new BString(text.getBytes(StandardCharsets.UTF_8), Span.NONE);
    }

    /** The bytes as UTF-8, with malformed sequences replaced by U+FFFD. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BString that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BString[" + text() + "]";
    }
}
