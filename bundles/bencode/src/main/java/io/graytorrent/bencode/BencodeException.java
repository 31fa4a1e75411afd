package io.graytorrent.bencode;

/** Input that is not bencode, not canonical bencode, or exceeds a {@link BencodeLimits} bound. */
public final class BencodeException extends RuntimeException {
    private final int offset;

    public BencodeException(String reason, int offset) {
        super(reason + " at byte " + offset);
        this.offset = offset;
    }

    /** Where in the input the problem was found. */
    public int offset() {
        return offset;
    }
}
