package io.graytorrent.peerwire;

/** The one-byte message ids that follow the length prefix of every message but the keep-alive. */
public final class MessageIds {
    // BEP 3
    public static final byte CHOKE = 0;
    public static final byte UNCHOKE = 1;
    public static final byte INTERESTED = 2;
    public static final byte NOT_INTERESTED = 3;
    public static final byte HAVE = 4;
    public static final byte BITFIELD = 5;
    public static final byte REQUEST = 6;
    public static final byte PIECE = 7;
    public static final byte CANCEL = 8;
    // BEP 5
    public static final byte PORT = 9;
    // BEP 6
    public static final byte SUGGEST_PIECE = 0x0D;
    public static final byte HAVE_ALL = 0x0E;
    public static final byte HAVE_NONE = 0x0F;
    public static final byte REJECT_REQUEST = 0x10;
    public static final byte ALLOWED_FAST = 0x11;
    // BEP 10
    public static final byte EXTENDED = 20;
    /** The extended message id of the extension handshake itself (BEP 10). */
    public static final int EXTENDED_HANDSHAKE = 0;
    // BEP 52
    public static final byte HASH_REQUEST = 21;
    public static final byte HASHES = 22;
    public static final byte HASH_REJECT = 23;

    private MessageIds() {
    }
}
