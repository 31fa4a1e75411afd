package io.graytorrent.pex.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * One {@code ut_holepunch} message (BEP 55): a type, an endpoint and an error code (0 unless an
 * {@link Type#ERROR}). On the wire: msg_type, addr_type (0 IPv4, 1 IPv6), the address, the port and
 * the error code, big-endian; 12 or 24 bytes exactly. libtorrent (2.0) leaves the error code out of
 * its rendezvous and connect messages, so those are read at 8 or 20 bytes too; we always write 12 or 24.
 *
 * @param type      what the message asks or says
 * @param endpoint  the target (rendezvous, error) or the peer to dial (connect)
 * @param errorCode one of the {@code NO_*} / {@code NOT_CONNECTED} codes in an error, 0 otherwise
 */
public record HolepunchMessage(Type type, InetSocketAddress endpoint, int errorCode) {
    public static final int NO_SUCH_PEER = 1;
    public static final int NOT_CONNECTED = 2;
    public static final int NO_SUPPORT = 3;
    public static final int NO_SELF = 4;

    private static final int IPV4_LENGTH = 1 + 1 + 4 + 2 + 4;
    private static final int IPV6_LENGTH = 1 + 1 + 16 + 2 + 4;
    private static final int ERROR_CODE_LENGTH = 4;

    public enum Type {
        RENDEZVOUS, CONNECT, ERROR
    }

    public HolepunchMessage {
        if (type == null || endpoint == null || endpoint.isUnresolved()) {
            throw new IllegalArgumentException("a holepunch message has a type and a resolved endpoint");
        }
        if ((type == Type.ERROR) == (errorCode == 0)) {
            throw new IllegalArgumentException("an error code in an error message, and only there");
        }
    }

    public static HolepunchMessage rendezvous(InetSocketAddress target) {
        return new HolepunchMessage(Type.RENDEZVOUS, target, 0);
    }

    public static HolepunchMessage connect(InetSocketAddress peer) {
        return new HolepunchMessage(Type.CONNECT, peer, 0);
    }

    /** The answer to a rendezvous that cannot be acted on: its endpoint, as the BEP requires. */
    public static HolepunchMessage error(InetSocketAddress target, int code) {
        return new HolepunchMessage(Type.ERROR, target, code);
    }

    /**
     * Reads a message; any length but 12 (IPv4) or 24 (IPv6), or 8 and 20 without the error code
     * for a rendezvous or connect, an unknown type or address type, an error without a code or a code
     * outside an error is refused.
     *
     * @throws PexProtocolException if {@code payload} is not such a message
     */
    public static HolepunchMessage decode(byte[] payload) {
        if (payload.length < 2) {
            throw new PexProtocolException("a ut_holepunch message of " + payload.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        int type = in.get() & 0xff;
        if (type >= Type.values().length) {
            throw new PexProtocolException("ut_holepunch message type " + type);
        }
        int addressType = in.get() & 0xff;
        int fullLength = addressType == 0 ? IPV4_LENGTH : addressType == 1 ? IPV6_LENGTH : -1;
        boolean withCode = payload.length == fullLength;
        boolean withoutCode = payload.length == fullLength - ERROR_CODE_LENGTH && type != Type.ERROR.ordinal();
        if (fullLength < 0 || !withCode && !withoutCode) {
            throw new PexProtocolException("ut_holepunch address type " + addressType + " in " + payload.length + " bytes");
        }
        byte[] address = new byte[fullLength == IPV4_LENGTH ? 4 : 16];
        in.get(address);
        int port = in.getShort() & 0xffff;
        int errorCode = withCode ? in.getInt() : 0;
        try {
            return new HolepunchMessage(Type.values()[type],
                    new InetSocketAddress(InetAddress.getByAddress(address), port), errorCode);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new PexProtocolException("ut_holepunch: " + e.getMessage());
        }
    }

    public byte[] encode() {
        byte[] address = endpoint.getAddress().getAddress();
        boolean v4 = endpoint.getAddress() instanceof Inet4Address;
        ByteBuffer out = ByteBuffer.allocate(v4 ? IPV4_LENGTH : IPV6_LENGTH);
        out.put((byte) type.ordinal()).put((byte) (v4 ? 0 : 1)).put(address)
                .putShort((short) endpoint.getPort()).putInt(errorCode);
        return out.array();
    }
}
