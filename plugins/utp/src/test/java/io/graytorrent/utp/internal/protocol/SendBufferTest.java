package io.graytorrent.utp.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Writes of any size come out as packets' payloads in order, byte for byte, within the capacity. */
@Unit
class SendBufferTest {

    @Test
    void writesOfAnySizeComeOutInPacketsInOrder() {
        Random random = new Random(7);
        byte[] data = new byte[200_000];
        random.nextBytes(data);
        SendBuffer buffer = new SendBuffer(10_000, 1380);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (src.hasRemaining() || buffer.bytes() > 0) {
            int want = Math.min(src.remaining(), 1 + random.nextInt(5000));
            ByteBuffer write = src.slice().limit(want);
            int taken = buffer.add(write);
            src.position(src.position() + taken);
            assertEquals(10_000 - buffer.bytes(), buffer.room());
            // take some packets, a partial one only when that is all there is
            int packets = random.nextInt(4);
            for (int i = 0; i < packets && buffer.bytes() > 0; i++) {
                int n = Math.min(1380, buffer.bytes());
                byte[] payload = buffer.take(n);
                assertEquals(n, payload.length);
                out.write(payload, 0, n);
            }
        }
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void aTakenFullPacketIsNotChangedByLaterWrites() {
        SendBuffer buffer = new SendBuffer(10_000, 4);
        buffer.add(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        byte[] first = buffer.take(4);
        byte[] rest = buffer.take(1);
        buffer.add(ByteBuffer.wrap(new byte[] {9, 9, 9, 9, 9, 9}));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, first);
        assertArrayEquals(new byte[] {5}, rest);
        assertEquals(6, buffer.bytes());
    }

    @Test
    void anAckedPacketsArrayIsFilledAgainAndFewAreKept() {
        SendBuffer buffer = new SendBuffer(10, 10); // keeps at most one spare: a full buffer's worth
        buffer.add(ByteBuffer.wrap(new byte[10]));
        byte[] first = buffer.take(10);
        buffer.add(ByteBuffer.wrap(new byte[10]));
        byte[] second = buffer.take(10);
        buffer.recycle(first);
        buffer.recycle(second); // past the spares kept: left to the collector
        buffer.recycle(new byte[3]); // not a packet's size

        byte[] next = new byte[10];
        Arrays.fill(next, (byte) 7);
        buffer.add(ByteBuffer.wrap(next));
        byte[] again = buffer.take(10);
        assertSame(first, again, "the spare array refilled");
        assertArrayEquals(next, again);
        buffer.add(ByteBuffer.wrap(next));
        byte[] fresh = buffer.take(10);
        assertNotSame(second, fresh, "only one spare was kept");
        assertArrayEquals(next, fresh);
    }

    @Test
    void onlyAWholePacketOrAllThatIsLeftIsTaken() {
        SendBuffer buffer = new SendBuffer(100, 10);
        assertEquals(25, buffer.add(ByteBuffer.allocate(25)));
        assertThrows(IllegalArgumentException.class, () -> buffer.take(5));
        assertThrows(IllegalArgumentException.class, () -> buffer.take(25));
        assertEquals(75, buffer.add(ByteBuffer.allocate(500)), "no more than the capacity");
    }
}
