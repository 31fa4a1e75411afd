package io.graytorrent.bencode;

import java.util.Arrays;

/**
 * A decoded bencode value. Each one remembers where its encoding lies in the input it was decoded
 * from, so callers can hash or re-send the exact bytes instead of a re-encoding.
 */
public sealed interface BValue permits BString, BInteger, BList, BDictionary {

    /** The input this value was decoded from, with the value's span in it. */
    Span span();

    /** A copy of this value's bencoded bytes exactly as they were received. */
    default byte[] rawBytes() {
        Span span = span();
        return Arrays.copyOfRange(span.source(), span.start(), span.end());
    }

    /** Where a value's encoding lies: {@code source[start, end)}. Values built in code have none. */
    record Span(byte[] source, int start, int end) {
        static final Span NONE = new Span(new byte[0], 0, 0);

        public int length() {
            return end - start;
        }
    }
}
