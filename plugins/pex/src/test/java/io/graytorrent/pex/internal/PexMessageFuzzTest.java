package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Any payload as a peer's ut_pex message: {@link PexMessage#decode} gives a message within the
 * list caps whose encoding reads back to the same encoding, or a {@link PexProtocolException}; the
 * whole {@link PeerExchange} then takes it from a peer on loopback, handing on at most the capped
 * number of candidates, none of them port 0, unspecified or ours, or disconnecting the peer. Seeds
 * live in src/test/resources/io/graytorrent/pex/internal/PexMessageFuzzTestInputs/decodesOrRejects/.
 */
@Slow
class PexMessageFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 64);
    private static final InfoHash TORRENT = InfoHash.of(new byte[20]);
    private static final InetSocketAddress OURS = new InetSocketAddress("127.0.0.1", 6881);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void decodesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                PexMessage message = PexMessage.decode(input);
                assertTrue(message.added().size() <= 2 * PexMessage.MAX_ENTRIES, "added capped");
                assertTrue(message.dropped().size() <= 2 * PexMessage.MAX_ENTRIES, "dropped capped");
                byte[] encoded = message.encode();
                assertArrayEquals(encoded, PexMessage.decode(encoded).encode(), "re-encoding is stable");
            } catch (PexProtocolException expected) {
                // the contract: our own exception for what we do not accept
            }
            List<InetSocketAddress> found = new ArrayList<>();
            PeerExchange exchange = new PeerExchange(() -> 0, OURS::equals);
            exchange.start(new RunningTorrent(TORRENT, false, OURS.getPort(), false), found::add);
            FakePeer sender = new FakePeer(TORRENT, "127.0.0.2", 7000, true);
            exchange.onHandshake(sender, FakePeer.handshake(true));
            exchange.onMessage(sender, input);
            assertTrue(found.size() <= 2 * PexMessage.MAX_ENTRIES, "candidates capped: " + found.size());
            for (InetSocketAddress candidate : found) {
                assertTrue(candidate.getPort() != 0 && !candidate.getAddress().isAnyLocalAddress()
                        && !candidate.equals(OURS), "bogus candidate " + candidate);
            }
        });
    }
}
