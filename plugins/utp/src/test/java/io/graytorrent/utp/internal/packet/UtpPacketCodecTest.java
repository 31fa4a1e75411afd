package io.graytorrent.utp.internal.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@Unit
class UtpPacketCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void writesTheHeaderAsBep29DrawsIt() {
        UtpPacket syn = new UtpPacket(PacketType.SYN, 0x1234, 0xdeadbeefL, 0, 0x100000, 1, 0, null, new byte[0]);
        assertEquals("41001234" + "deadbeef" + "00000000" + "00100000" + "0001" + "0000",
                HEX.formatHex(UtpPacketCodec.encode(syn).array()));
    }

    @Test
    void readsBackWhatItWrites() throws MalformedPacketException {
        UtpPacket data = new UtpPacket(PacketType.DATA, 65535, 0xffffffffL, 0x80000000L, 0xffffffffL, 65535, 1,
                new byte[] {5, 0, 0, (byte) 0x80}, "payload".getBytes());
        UtpPacket read = UtpPacketCodec.decode(UtpPacketCodec.encode(data));
        assertEquals(data, read);
        assertTrue(read.selectivelyAcked(0));
        assertFalse(read.selectivelyAcked(1));
        assertTrue(read.selectivelyAcked(2));
        assertTrue(read.selectivelyAcked(31));
        assertFalse(read.selectivelyAcked(32));
    }

    @Test
    void skipsUnknownExtensionsAndKeepsTheSelectiveAck() throws MalformedPacketException {
        // STATE, extension 2 (4 bytes) then 1 (selective ACK, 4 bytes)
        byte[] packet = HEX.parseHex("21020001" + "00000001" + "00000002" + "00000400" + "0005" + "0003"
                + "0104" + "aabbccdd" + "0004" + "01000000");
        UtpPacket state = UtpPacketCodec.decode(ByteBuffer.wrap(packet));
        assertEquals(PacketType.STATE, state.type());
        assertEquals(3, state.ack());
        assertArrayEquals(new byte[] {1, 0, 0, 0}, state.selectiveAck());
    }

    @Test
    void refusesWhatIsNotAPacket() {
        String header = "01000001" + "00000001" + "00000002" + "00000400" + "0005" + "0003";
        for (String bad : new String[] {
            header.substring(0, 38), // short
            "02" + header.substring(2), // version 2
            "51" + header.substring(2), // type 5
            "0101" + header.substring(4), // an extension that is not there
            "0101" + header.substring(4) + "0008" + "00", // an extension cut short
            "0101" + header.substring(4) + "0000", // an empty selective ACK
            "0101" + header.substring(4) + "0104" + "00000000" + "0001" + "00", // two selective ACKs
            "2100" + header.substring(4) + "00", // STATE with payload
        }) {
            assertThrows(MalformedPacketException.class, () -> UtpPacketCodec.decode(ByteBuffer.wrap(HEX.parseHex(bad))),
                    bad);
        }
    }

    /**
     * libtorrent sizes its bitmask to its reorder buffer, {@code (span + 7) / 8} bytes, not the BEP's
     * multiple of 4: this STATE (ack 1633, 1634 missing, 1635 to 1684 held) is one it sent us in
     * UtpInteropIT. Refusing it dropped every ack while libtorrent held a gap, so seeding to it
     * stalled until it reconnected.
     */
    @Test
    void readsASelectiveAckOfAnyLengthAsLibtorrentSendsIt() throws MalformedPacketException {
        UtpPacket state = UtpPacketCodec.decode(ByteBuffer.wrap(HEX.parseHex(
                "2101a5524b5f5b8c4b5f5bec000ef278a62b0661" + "0007" + "ffffffffffff03")));
        assertEquals(PacketType.STATE, state.type());
        assertEquals(1633, state.ack());
        assertEquals(7, state.selectiveAck().length);
        assertFalse(state.selectivelyAcked(-1));
        assertTrue(state.selectivelyAcked(0));
        assertTrue(state.selectivelyAcked(49));
        assertFalse(state.selectivelyAcked(50));
    }

    @Test
    void aPacketWithoutExtensionsHasNoSelectiveAck() throws MalformedPacketException {
        UtpPacket fin = new UtpPacket(PacketType.FIN, 7, 1, 2, 3, 4, 5, null, new byte[0]);
        assertNull(UtpPacketCodec.decode(UtpPacketCodec.encode(fin)).selectiveAck());
    }
}
