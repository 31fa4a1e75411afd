package io.graytorrent.bencode;

/** A bencode integer; values outside the range of {@code long} are rejected when decoding. */
public record BInteger(long value, Span span) implements BValue {

    public static BInteger of(long value) {
        return new BInteger(value, Span.NONE);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BInteger that && value == that.value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }
}
