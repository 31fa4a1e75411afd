package io.graytorrent.core.internal.metadata;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A ut_metadata message (BEP 9): a bencoded dictionary with {@code msg_type} and {@code piece},
 * a data message adding {@code total_size} and the piece's raw bytes after the dictionary.
 * <pre>
 *   request  d8:msg_typei0e5:piecei&lt;n&gt;ee
 *   data     d8:msg_typei1e5:piecei&lt;n&gt;e10:total_sizei&lt;bytes&gt;ee &lt;up to 16 KiB of the info dictionary&gt;
 *   reject   d8:msg_typei2e5:piecei&lt;n&gt;ee
 * </pre>
 */
public sealed interface MetadataMessage {
    /** Metadata travels in pieces of 16 KiB; only the last one may be shorter. */
    int PIECE_LENGTH = 16 * 1024;
    /** Room for the dictionary in front of a data message's bytes; libtorrent's is under 60 bytes. */
    int MAX_HEADER = 1024;

    int piece();

    /** Pieces of metadata of {@code size} bytes. */
    static int pieceCount(long size) {
        return (int) ((size + PIECE_LENGTH - 1) / PIECE_LENGTH);
    }

    /** The payload of the extended message. */
    byte[] encode();

    record Request(int piece) implements MetadataMessage {
        @Override
        public byte[] encode() {
            return BencodeEncoder.encode(Map.of("msg_type", 0, "piece", piece));
        }
    }

    /** {@code data} is one piece of the info dictionary; {@code totalSize} the dictionary's length. */
    record Data(int piece, long totalSize, byte[] data) implements MetadataMessage {
        @Override
        public byte[] encode() {
            byte[] header = BencodeEncoder.encode(Map.of("msg_type", 1, "piece", piece, "total_size", totalSize));
            byte[] payload = Arrays.copyOf(header, header.length + data.length);
            System.arraycopy(data, 0, payload, header.length, data.length);
            return payload;
        }
    }

    record Reject(int piece) implements MetadataMessage {
        @Override
        public byte[] encode() {
            return BencodeEncoder.encode(Map.of("msg_type", 2, "piece", piece));
        }
    }

    /**
     * Reads a payload; empty for a {@code msg_type} BEP 9 does not define (to be ignored, as it asks).
     *
     * @throws MetadataProtocolException for anything malformed: not a bencoded dictionary, a missing
     *         or negative field, bytes after a request or reject, a data piece over 16 KiB
     */
    static Optional<MetadataMessage> decode(byte[] payload) throws MetadataProtocolException {
        if (payload.length > MAX_HEADER + PIECE_LENGTH) {
            throw new MetadataProtocolException("ut_metadata message of " + payload.length + " bytes is too long");
        }
        BValue value;
        try {
            value = Limits.DECODER.decodePrefix(payload);
        } catch (BencodeException e) {
            throw new MetadataProtocolException("ut_metadata message is not bencode: " + e.getMessage());
        }
        if (!(value instanceof BDictionary dict)) {
            throw new MetadataProtocolException("ut_metadata message is not a dictionary");
        }
        long type = field(dict, "msg_type");
        int piece = Math.toIntExact(Math.min(field(dict, "piece"), Integer.MAX_VALUE));
        int trailing = payload.length - value.span().end();
        if (type == 1) {
            if (trailing > PIECE_LENGTH) {
                throw new MetadataProtocolException("ut_metadata piece of " + trailing + " bytes, more than 16 KiB");
            }
            byte[] data = Arrays.copyOfRange(payload, value.span().end(), payload.length);
            return Optional.of(new Data(piece, field(dict, "total_size"), data));
        }
        if (type != 0 && type != 2) {
            return Optional.empty();
        }
        if (trailing > 0) {
            throw new MetadataProtocolException("ut_metadata " + (type == 0 ? "request" : "reject")
                    + " followed by " + trailing + " bytes");
        }
        return Optional.of(type == 0 ? new Request(piece) : new Reject(piece));
    }

    private static long field(BDictionary dict, String key) throws MetadataProtocolException {
        if (dict.get(key).orElse(null) instanceof BInteger number && number.value() >= 0) {
            return number.value();
        }
        throw new MetadataProtocolException("ut_metadata message without a valid '" + key + "'");
    }

    /** The decoder's bounds: a small header and at most one piece after it. */
    final class Limits {
        static final BencodeDecoder DECODER = new BencodeDecoder(
                new BencodeLimits(MAX_HEADER + PIECE_LENGTH, 4, MAX_HEADER, 64));

        private Limits() {
        }
    }
}
