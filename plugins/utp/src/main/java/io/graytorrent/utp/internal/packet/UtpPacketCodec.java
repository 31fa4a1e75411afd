package io.graytorrent.utp.internal.packet;

import java.nio.ByteBuffer;

/**
 * BEP 29's packet format, version 1, big-endian:
 * <pre>
 * 0       4       8               16              24              32
 * +-------+-------+---------------+---------------+---------------+
 * | type  | ver   | extension     | connection_id                 |
 * +-------+-------+---------------+---------------+---------------+
 * | timestamp_microseconds                                        |
 * +---------------+---------------+---------------+---------------+
 * | timestamp_difference_microseconds                             |
 * +---------------+---------------+---------------+---------------+
 * | wnd_size                                                      |
 * +---------------+---------------+---------------+---------------+
 * | seq_nr                        | ack_nr                        |
 * +---------------+---------------+---------------+---------------+
 * then extensions, each: | next extension (1 B) | length (1 B) | length bytes |, ending at type 0;
 * then the payload (DATA only).
 * </pre>
 * Extension 1 is the selective ACK: BEP 29 says a multiple of 4 bytes, and that is what we send, but
 * libtorrent sends as many bytes as its reorder buffer spans ({@code (span + 7) / 8}, e.g. 7), so any
 * length from 1 is read. Other extensions are skipped.
 * Decoding reads within the datagram only and allocates at most its length.
 */
public final class UtpPacketCodec {
    public static final int HEADER_LENGTH = 20;
    /** The most an encoded packet's extensions add to its header: a selective ACK of 252 bytes and its 2 bytes of framing. */
    public static final int MAX_EXTENSION_LENGTH = 254;
    private static final int VERSION = 1;
    private static final int EXTENSION_NONE = 0;
    private static final int EXTENSION_SELECTIVE_ACK = 1;

    private UtpPacketCodec() {
    }

    /** Reads the buffer's remaining bytes as one packet; the buffer is consumed. */
    public static UtpPacket decode(ByteBuffer datagram) throws MalformedPacketException {
        if (datagram.remaining() < HEADER_LENGTH) {
            throw new MalformedPacketException("shorter than a header: " + datagram.remaining() + " bytes");
        }
        int first = datagram.get() & 0xff;
        if ((first & 0x0f) != VERSION) {
            throw new MalformedPacketException("version " + (first & 0x0f));
        }
        PacketType type = PacketType.of(first >> 4);
        if (type == null) {
            throw new MalformedPacketException("type " + (first >> 4));
        }
        int extension = datagram.get() & 0xff;
        int connectionId = datagram.getShort() & 0xffff;
        long timestamp = datagram.getInt() & 0xffffffffL;
        long timestampDiff = datagram.getInt() & 0xffffffffL;
        long window = datagram.getInt() & 0xffffffffL;
        int seq = datagram.getShort() & 0xffff;
        int ack = datagram.getShort() & 0xffff;
        byte[] selectiveAck = null;
        while (extension != EXTENSION_NONE) {
            if (datagram.remaining() < 2) {
                throw new MalformedPacketException("extension " + extension + " cut short");
            }
            int next = datagram.get() & 0xff;
            int length = datagram.get() & 0xff;
            if (datagram.remaining() < length) {
                throw new MalformedPacketException("extension " + extension + " of " + length + " bytes cut short");
            }
            if (extension == EXTENSION_SELECTIVE_ACK) {
                if (length == 0 || selectiveAck != null) {
                    throw new MalformedPacketException("selective ACK of " + length + " bytes");
                }
                selectiveAck = new byte[length];
                datagram.get(selectiveAck);
            } else {
                datagram.position(datagram.position() + length);
            }
            extension = next;
        }
        if (type != PacketType.DATA && datagram.hasRemaining()) {
            throw new MalformedPacketException(type + " with " + datagram.remaining() + " bytes of payload");
        }
        byte[] payload = new byte[datagram.remaining()];
        datagram.get(payload);
        return new UtpPacket(type, connectionId, timestamp, timestampDiff, window, seq, ack, selectiveAck, payload);
    }

    /** The encoded length of {@code packet}. */
    public static int length(UtpPacket packet) {
        return HEADER_LENGTH + (packet.selectiveAck() == null ? 0 : 2 + packet.selectiveAck().length)
                + packet.payload().length;
    }

    /** Writes {@code packet} into {@code out} (which must have {@link #length} bytes left). */
    public static void encode(UtpPacket packet, ByteBuffer out) {
        byte[] sack = packet.selectiveAck();
        if (sack != null && (sack.length == 0 || sack.length % 4 != 0 || sack.length > 255)) {
            throw new IllegalArgumentException("a selective ACK is 4 to 252 bytes, in fours: " + sack.length);
        }
        out.put((byte) (packet.type().ordinal() << 4 | VERSION));
        out.put((byte) (sack == null ? EXTENSION_NONE : EXTENSION_SELECTIVE_ACK));
        out.putShort((short) packet.connectionId());
        out.putInt((int) packet.timestamp());
        out.putInt((int) packet.timestampDiff());
        out.putInt((int) packet.window());
        out.putShort((short) packet.seq());
        out.putShort((short) packet.ack());
        if (sack != null) {
            out.put((byte) EXTENSION_NONE);
            out.put((byte) sack.length);
            out.put(sack);
        }
        out.put(packet.payload());
    }

    /** {@code packet} in a new buffer, ready to read. */
    public static ByteBuffer encode(UtpPacket packet) {
        ByteBuffer out = ByteBuffer.allocate(length(packet));
        encode(packet, out);
        return out.flip();
    }
}
