package io.graytorrent.portmap.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * NAT-PMP messages (RFC 6886): the requests we send and the gateway's answers, which are outside
 * input and checked to the byte (version 0, the answer opcode 128 + ours, the exact length).
 */
public final class NatPmpPacket {
    public static final int PORT = 5351;
    static final int OP_ADDRESS = 0;
    static final int OP_MAP_UDP = 1;
    static final int OP_MAP_TCP = 2;

    private NatPmpPacket() {
    }

    /** An answer to a public address request. */
    public record Address(long epoch, InetAddress external) {
    }

    /** An answer to a mapping request: the port the gateway chose and for how long. */
    public record Mapping(int op, long epoch, int internalPort, int externalPort, long lifetimeSeconds) {
    }

    static byte[] addressRequest() {
        return new byte[] {0, OP_ADDRESS};
    }

    /** {@code lifetimeSeconds} 0 with {@code externalPort} 0 deletes the mapping (RFC 6886, 3.4). */
    static byte[] mapRequest(int op, int internalPort, int externalPort, long lifetimeSeconds) {
        return ByteBuffer.allocate(12).put((byte) 0).put((byte) op).putShort((short) 0).putShort((short) internalPort)
                .putShort((short) externalPort).putInt((int) lifetimeSeconds).array();
    }

    public static Address parseAddress(byte[] data, int length) throws GatewayReplyException {
        ByteBuffer in = header(data, length, OP_ADDRESS, 12);
        long epoch = in.getInt() & 0xffffffffL;
        byte[] address = new byte[4];
        in.get(address);
        try {
            return new Address(epoch, InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes
        }
    }

    public static Mapping parseMapping(byte[] data, int length, int op) throws GatewayReplyException {
        ByteBuffer in = header(data, length, op, 16);
        long epoch = in.getInt() & 0xffffffffL;
        int internal = in.getShort() & 0xffff;
        int external = in.getShort() & 0xffff;
        long lifetime = in.getInt() & 0xffffffffL;
        return new Mapping(op, epoch, internal, external, lifetime);
    }

    private static ByteBuffer header(byte[] data, int length, int op, int size) throws GatewayReplyException {
        if (length < 4) {
            throw new GatewayReplyException("a NAT-PMP answer of " + length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 0, length);
        int version = in.get() & 0xff;
        int answered = in.get() & 0xff;
        int result = in.getShort() & 0xffff;
        if (version != 0 || answered != 128 + op) {
            throw new GatewayReplyException("not a NAT-PMP answer to opcode " + op + ": version " + version + ", opcode " + answered);
        }
        if (result != 0) {
            throw new GatewayReplyException("NAT-PMP result " + result + " (" + resultName(result) + ")", result);
        }
        if (length != size) {
            throw new GatewayReplyException("a NAT-PMP answer to opcode " + op + " of " + length + " bytes, not " + size);
        }
        return in;
    }

    static String resultName(int result) {
        return switch (result) {
            case 1 -> "unsupported version";
            case 2 -> "not authorized";
            case 3 -> "network failure";
            case 4 -> "out of resources";
            case 5 -> "unsupported opcode";
            default -> "unknown";
        };
    }
}
