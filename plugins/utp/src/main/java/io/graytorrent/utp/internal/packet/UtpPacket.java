package io.graytorrent.utp.internal.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * One uTP packet (BEP 29). Numbers are kept in the widths of the wire, unsigned: the connection id,
 * {@code seq} and {@code ack} in 16 bits, the timestamps and window in 32 (as longs).
 *
 * @param type            the packet's type
 * @param connectionId    the connection id the receiver knows the connection by (SYN: the initiator's receive id)
 * @param timestamp       the sender's clock in microseconds when it sent this, modulo 2^32
 * @param timestampDiff   the sender's last delay sample: its clock when the previous packet arrived
 *                        minus that packet's timestamp, modulo 2^32 (0 when it has none)
 * @param window          the sender's free receive buffer in bytes
 * @param seq             this packet's sequence number (STATE: the sender's next one)
 * @param ack             the last sequence number the sender received in order
 * @param selectiveAck    the selective-ACK bitmask (bit i of byte i/8, least significant first, stands for
 *                        {@code ack + 2 + i}), 1 to 255 bytes (ours a multiple of 4); null when absent
 * @param payload         the payload, empty for all types but DATA
 */
public record UtpPacket(PacketType type, int connectionId, long timestamp, long timestampDiff, long window,
        int seq, int ack, byte[] selectiveAck, byte[] payload) {

    public UtpPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /** Whether the selective-ACK bitmask says {@code ack + 2 + index} arrived. */
    public boolean selectivelyAcked(int index) {
        return selectiveAck != null && index >= 0 && index < selectiveAck.length * 8
                && (selectiveAck[index >> 3] >> (index & 7) & 1) != 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UtpPacket p && type == p.type && connectionId == p.connectionId
                && timestamp == p.timestamp && timestampDiff == p.timestampDiff && window == p.window
                && seq == p.seq && ack == p.ack && Arrays.equals(selectiveAck, p.selectiveAck)
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, connectionId, seq, ack, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return type + "(id " + connectionId + ", seq " + seq + ", ack " + ack + ", wnd " + window
                + (selectiveAck == null ? "" : ", sack " + selectiveAck.length * 8) + ", " + payload.length + " B)";
    }
}
