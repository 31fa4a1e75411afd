package io.graytorrent.metainfo.internal;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.metainfo.MetainfoException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Typed reads from a bencode dictionary: a missing or ill-typed required field becomes a
 * {@link MetainfoException} naming the field by its dotted place in the torrent ({@code where}).
 */
public record Fields(BDictionary dict, String where) {

    public Optional<BValue> get(String key) {
        return dict.get(key);
    }

    public BDictionary requireDictionary(String key) throws MetainfoException {
        return require(key, BDictionary.class, "a dictionary");
    }

    public BList requireList(String key) throws MetainfoException {
        return require(key, BList.class, "a list");
    }

    public BString requireString(String key) throws MetainfoException {
        return require(key, BString.class, "a string");
    }

    public long requireInteger(String key) throws MetainfoException {
        return require(key, BInteger.class, "an integer").value();
    }

    /** The text of {@code key}, preferring a valid {@code key + ".utf-8"} as {@link #optionalText} does. */
    public String requireText(String key) throws MetainfoException {
        Optional<String> utf8 = dict.get(key + ".utf-8").flatMap(Fields::strictUtf8);
        return utf8.isPresent() ? utf8.get() : requireString(key).text();
    }

    /** The text of {@code key} when it is a string; other types are ignored, as clients do. */
    public Optional<String> optionalString(String key) {
        return dict.get(key).filter(BString.class::isInstance).map(v -> ((BString) v).text());
    }

    /** The value of {@code key} when it is an integer; other types are ignored, as clients do. */
    public Optional<Long> optionalInteger(String key) {
        return dict.get(key).filter(BInteger.class::isInstance).map(v -> ((BInteger) v).value());
    }

    /**
     * The text of {@code key}, preferring {@code key + ".utf-8"} when that is present and valid
     * UTF-8 (old clients put a legacy encoding in the plain key and UTF-8 beside it).
     */
    public Optional<String> optionalText(String key) {
        Optional<String> utf8 = dict.get(key + ".utf-8").flatMap(Fields::strictUtf8);
        return utf8.isPresent() ? utf8 : optionalString(key);
    }

    /** {@code value} as text when it is a string of valid UTF-8. */
    public static Optional<String> strictUtf8(BValue value) {
        if (!(value instanceof BString string)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(string.bytes())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private <T extends BValue> T require(String key, Class<T> type, String typeName) throws MetainfoException {
        BValue value = dict.get(key).orElseThrow(() -> new MetainfoException("missing '" + where + key + "'"));
        if (!type.isInstance(value)) {
            throw new MetainfoException("'" + where + key + "' is not " + typeName);
        }
        return type.cast(value);
    }
}
