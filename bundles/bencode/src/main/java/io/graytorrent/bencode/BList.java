package io.graytorrent.bencode;

import java.util.List;

/** A bencode list (immutable). */
public record BList(List<BValue> values, Span span) implements BValue {

    public BList {
        values = List.copyOf(values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BList that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
