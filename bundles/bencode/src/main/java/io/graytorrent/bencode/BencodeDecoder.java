package io.graytorrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one bencode value that must fill the whole input. Every bound in {@link BencodeLimits} is
 * checked before memory is committed to it, and forms that have two encodings of one value
 * (leading zeros, {@code -0}) are rejected, so a value re-encodes to the bytes it came from.
 * Duplicate dictionary keys are rejected, except by {@link #decodeTolerant}; unsorted keys only by
 * {@link #decodeCanonical}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BencodeDecoder {
    private final BencodeLimits limits;

    public BencodeDecoder(BencodeLimits limits) {
        this.limits = limits;
    }

    public BencodeDecoder() {
        this(BencodeLimits.DEFAULT);
    }

    /** Decodes {@code input}, accepting dictionaries whose keys are not in sorted order. */
    public BValue decode(byte[] input) {
        return new Reader(input, false).readAll();
    }

    /** Decodes {@code input}, requiring canonical form everywhere (sorted dictionary keys). */
    public BValue decodeCanonical(byte[] input) {
        return new Reader(input, true).readAll();
    }

    /**
     * Decodes the value at the start of {@code input}, which may go on with other bytes (BEP 9 puts
     * raw piece data after a dictionary); the value's {@link BValue#span() span} ends where it does.
     */
    public BValue decodePrefix(byte[] input) {
        return new Reader(input, false).readPrefix();
    }

    /**
     * Decodes the value at the start of {@code input} as {@link #decodePrefix} does, also accepting
     * duplicate dictionary keys, which some old torrent creators wrote: the first value of a key
     * counts, as in libtorrent. Spans still cover the bytes as received, so a hash over a value's
     * span is the hash of what was sent, never of a re-encoding.
     */
    public BValue decodeTolerant(byte[] input) {
        return new Reader(input, false, true).readPrefix();
    }

    /** One pass over one input; not shared. */
    private final class Reader {
        private final byte[] in;
        private final boolean requireSortedKeys;
        private final boolean keepFirstOfDuplicateKeys;
        private int pos;
        private int elements;

        Reader(byte[] in, boolean requireSortedKeys) {
            this(in, requireSortedKeys, false);
        }

        Reader(byte[] in, boolean requireSortedKeys, boolean keepFirstOfDuplicateKeys) {
            this.in = in;
            this.requireSortedKeys = requireSortedKeys;
            this.keepFirstOfDuplicateKeys = keepFirstOfDuplicateKeys;
        }

        BValue readAll() {
            BValue value = readPrefix();
            if (pos != in.length) {
                throw new BencodeException("trailing data after the value", pos);
            }
            return value;
        }

        BValue readPrefix() {
            if (in.length > limits.maxInputLength()) {
                throw new BencodeException("input of " + in.length + " bytes exceeds the limit of "
                        + limits.maxInputLength(), 0);
            }
            return readValue(0);
        }

        private BValue readValue(int depth) {
            if (++elements > limits.maxElements()) {
                throw new BencodeException("more than " + limits.maxElements() + " values", pos);
            }
            byte tag = peek("a value");
            return switch (tag) {
                case 'i' -> readInteger();
                case 'l' -> readList(depth + 1);
                case 'd' -> readDictionary(depth + 1);
                default -> {
                    if (tag >= '0' && tag <= '9') {
                        yield readString();
                    }
                    throw new BencodeException("unexpected byte 0x" + Integer.toHexString(tag & 0xff), pos);
                }
            };
        }

        private BInteger readInteger() {
            int start = pos++;
            long value = readDigits('e', true);
            return new BInteger(value, new BValue.Span(in, start, pos));
        }

        private BString readString() {
            int start = pos;
            long length = readDigits(':', false);
            if (length > limits.maxStringLength()) {
                throw new BencodeException("string of " + length + " bytes exceeds the limit of "
                        + limits.maxStringLength(), start);
            }
            if (length > in.length - pos) {
                throw new BencodeException("string of " + length + " bytes runs past the end of the input", start);
            }
            byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
            pos += (int) length;
            return new BString(bytes, new BValue.Span(in, start, pos));
        }

        private BList readList(int depth) {
            int start = pos++;
            checkDepth(depth, start);
            List<BValue> values = new ArrayList<>();
            while (peek("a list value or 'e'") != 'e') {
                values.add(readValue(depth));
            }
            pos++;
            return new BList(values, new BValue.Span(in, start, pos));
        }

        private BDictionary readDictionary(int depth) {
            int start = pos++;
            checkDepth(depth, start);
            Map<String, BValue> entries = new LinkedHashMap<>();
            String previousKey = null;
            while (peek("a dictionary key or 'e'") != 'e') {
                int keyOffset = pos;
                byte tag = in[pos];
                if (tag < '0' || tag > '9') {
                    throw new BencodeException("dictionary key is not a string", keyOffset);
                }
                String key = new String(readString().bytes(), StandardCharsets.ISO_8859_1);
                boolean duplicate = entries.containsKey(key);
                if (duplicate && !keepFirstOfDuplicateKeys) {
                    throw new BencodeException("duplicate dictionary key '" + key + "'", keyOffset);
                }
                if (requireSortedKeys && previousKey != null && key.compareTo(previousKey) < 0) {
                    throw new BencodeException("dictionary key '" + key + "' is out of sorted order", keyOffset);
                }
                BValue value = readValue(depth);
                if (!duplicate) {
                    entries.put(key, value);
                }
                previousKey = key;
            }
            pos++;
            return new BDictionary(entries, new BValue.Span(in, start, pos));
        }

        private void checkDepth(int depth, int offset) {
            if (depth > limits.maxDepth()) {
                throw new BencodeException("nesting deeper than " + limits.maxDepth(), offset);
            }
        }

        /**
         * Reads a canonical decimal number up to {@code terminator}: no leading zeros, no "-0",
         * nothing outside the range of long; a sign only where {@code signed}.
         */
        private long readDigits(char terminator, boolean signed) {
            int start = pos;
            boolean negative = signed && peek("a digit") == '-';
            if (negative) {
                pos++;
            }
            int firstDigit = pos;
            long value = 0;
            while (peek("a digit or '" + terminator + "'") != terminator) {
                byte b = in[pos];
                if (b < '0' || b > '9') {
                    throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b & 0xff) + " in a number", pos);
                }
                int digit = b - '0';
                // accumulate negatively so that Long.MIN_VALUE itself is representable
                if (value < (Long.MIN_VALUE + digit) / 10) {
                    throw new BencodeException("number out of range", start);
                }
                value = value * 10 - digit;
                pos++;
            }
            int digits = pos - firstDigit;
            if (digits == 0) {
                throw new BencodeException("number without digits", start);
            }
            if (in[firstDigit] == '0' && digits > 1) {
                throw new BencodeException("number with a leading zero", start);
            }
            if (negative && value == 0) {
                throw new BencodeException("negative zero", start);
            }
            if (!negative && value == Long.MIN_VALUE) {
                throw new BencodeException("number out of range", start);
            }
            pos++; // the terminator
            return negative ? value : -value;
        }

        private byte peek(String expected) {
            if (pos >= in.length) {
                throw new BencodeException("input ends where " + expected + " was expected", pos);
            }
            return in[pos];
        }
    }
}
