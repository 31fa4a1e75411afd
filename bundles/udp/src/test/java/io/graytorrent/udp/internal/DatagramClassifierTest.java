package io.graytorrent.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.graytorrent.testkit.Unit;
import io.graytorrent.udp.DatagramKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@Unit
class DatagramClassifierTest {

    @Test
    void aBencodedDictionaryIsKrpc() {
        assertEquals(DatagramKind.KRPC, classify(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")));
        assertEquals(DatagramKind.KRPC, classify(ascii("d")), "the DHT, not the socket, judges the rest");
    }

    @Test
    void everyUtpPacketTypeOfVersionOneIsUtp() {
        for (int type = 0; type <= 4; type++) {
            assertEquals(DatagramKind.UTP, classify(utpHeader(type << 4 | 1, 20)), "type " + type);
        }
    }

    @Test
    void anythingElseIsNothing() {
        assertNull(classify(new byte[0]), "empty");
        assertNull(classify(utpHeader(5 << 4 | 1, 20)), "type 5 does not exist");
        assertNull(classify(utpHeader(4 << 4 | 2, 20)), "version 2");
        assertNull(classify(utpHeader(0x41, 19)), "shorter than a uTP header");
        assertNull(classify(ascii("l4:spame")), "a bencoded list");
        assertNull(classify(new byte[] {0, 0, 4, 0x17, 0x27, 0x10, 0x19, (byte) 0x80}), "a UDP tracker's connect");
    }

    @Test
    void readsFromThePositionAndLeavesItThere() {
        ByteBuffer buffer = ByteBuffer.wrap(ascii("xd"));
        buffer.position(1);
        assertEquals(DatagramKind.KRPC, DatagramClassifier.classify(buffer));
        assertEquals(1, buffer.position());
    }

    private static DatagramKind classify(byte[] bytes) {
        return DatagramClassifier.classify(ByteBuffer.wrap(bytes));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] utpHeader(int first, int length) {
        byte[] packet = new byte[length];
        packet[0] = (byte) first;
        return packet;
    }
}
