package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Any datagram goes through the KRPC decoder and then a whole {@link DhtNode}: the decoder gives a
 * message, which re-encodes to bytes that decode to the same encoding, or a {@link KrpcException};
 * the node sends at most two datagrams back (an answer or error, and a ping to a stranger), each
 * of them decodable and within one datagram's size. Seeds live in
 * src/test/resources/io/graytorrent/dht/internal/KrpcDecoderFuzzTestInputs/answersOrDrops/.
 */
@Slow
class KrpcDecoderFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 256);
    /** Rate limits out of the way, so that every input reaches the decoder. */
    private static final DhtSettings UNLIMITED = new DhtSettings(4, Duration.ofSeconds(2), Duration.ofSeconds(8), 256,
            16, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofMinutes(1), 100,
            5000);
    private static final List<byte[]> SENT = new ArrayList<>();
    private static final DhtNode NODE = new DhtNode(NodeId.random(new Random(1)), UNLIMITED, System::nanoTime,
            new Random(2), (to, datagram) -> SENT.add(datagram));
    private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.1", 6881);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void answersOrDrops(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                byte[] encoded = KrpcCodec.encode(KrpcCodec.decode(input));
                assertArrayEquals(encoded, KrpcCodec.encode(KrpcCodec.decode(encoded)), "re-encoding is stable");
            } catch (KrpcException expected) {
                // the contract: our own exception for what we do not accept
            }
            SENT.clear();
            NODE.receive(SOURCE, input);
            assertTrue(SENT.size() <= 2, "at most an answer and a ping: " + SENT.size());
            for (byte[] datagram : SENT) {
                assertTrue(datagram.length <= 1500, "an answer fits one datagram: " + datagram.length);
                try {
                    KrpcCodec.decode(datagram);
                } catch (KrpcException e) {
                    throw new AssertionError("we sent what we cannot read: " + e.getMessage(), e);
                }
            }
        });
    }
}
