package io.graytorrent.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bencode dictionary (immutable, in input order). Keys are byte strings; they are held as
 * ISO-8859-1 text, one char per byte, which is lossless and keeps byte order, so ASCII keys such
 * as {@code "piece length"} are looked up as written.
 */
public record BDictionary(Map<String, BValue> entries, Span span) implements BValue {

    public BDictionary {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BDictionary that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}
