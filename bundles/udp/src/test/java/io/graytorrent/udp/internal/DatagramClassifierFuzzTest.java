package io.graytorrent.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import io.graytorrent.udp.DatagramKind;
import java.nio.ByteBuffer;

/**
 * Any datagram, read from a fuzzer-chosen offset: a kind or none, never an exception; the buffer
 * not moved; KRPC only for a leading 'd', uTP only for a header of BEP 29's version and types.
 * Seeds live in src/test/resources/io/graytorrent/udp/internal/DatagramClassifierFuzzTestInputs/classifiesOrDrops/.
 */
@Slow
class DatagramClassifierFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(4 << 10, 0);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void classifiesOrDrops(byte[] input) {
        int offset = input.length == 0 ? 0 : (input[0] & 0xff) % input.length;
        ByteBuffer datagram = ByteBuffer.wrap(input).position(offset);
        MEMORY.check(input.length, () -> {
            DatagramKind kind = DatagramClassifier.classify(datagram);
            assertEquals(offset, datagram.position(), "the buffer is not moved");
            if (kind == DatagramKind.KRPC) {
                assertEquals('d', input[offset]);
            } else if (kind == DatagramKind.UTP) {
                int first = input[offset] & 0xff;
                assertTrue((first & 0x0f) == 1 && first >> 4 <= 4 && input.length - offset >= 20, "a uTP header");
            }
        });
    }
}
