package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.InfoHash;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Any payload as a peer's ut_holepunch message: {@link HolepunchMessage#decode} gives a message that
 * encodes to 12 or 24 bytes (whether or not it came with the error code field) and reads back to itself, or a {@link PexProtocolException}; a whole
 * {@link Holepunch} relay then takes it from a peer beside a target that speaks it too: it sends at
 * most one message to each (a connect or an error, never both to the initiator), dials only a
 * usable endpoint that is not ours, or disconnects the sender. Seeds live in
 * src/test/resources/io/graytorrent/pex/internal/HolepunchMessageFuzzTestInputs/decodesOrRejects/.
 */
@Slow
class HolepunchMessageFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 64);
    private static final InfoHash TORRENT = InfoHash.of(new byte[20]);
    private static final InetSocketAddress OURS = new InetSocketAddress("127.0.0.1", 6881);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void decodesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                HolepunchMessage message = HolepunchMessage.decode(input);
                byte[] encoded = message.encode();
                assertTrue(encoded.length == 12 || encoded.length == 24, "length " + encoded.length);
                assertEquals(message, HolepunchMessage.decode(encoded), "reads back");
            } catch (PexProtocolException expected) {
                // the contract: our own exception for what we do not accept
            }
            List<InetSocketAddress> dialled = new ArrayList<>();
            Holepunch relay = new Holepunch(() -> 0, OURS::equals, (infoHash, address) -> null,
                    (infoHash, address) -> dialled.add(address));
            FakePeer sender = new FakePeer(TORRENT, "127.0.0.2", 7000, true);
            FakePeer target = new FakePeer(TORRENT, "127.0.0.3", 7001, true);
            relay.onHandshake(sender, FakePeer.holepunchHandshake(true));
            relay.onHandshake(target, FakePeer.holepunchHandshake(true));
            relay.onMessage(sender, input);
            assertTrue(sender.holepunch.size() <= 1 && target.holepunch.size() <= 1, "one message each at most");
            assertTrue(target.holepunch.isEmpty() || sender.holepunch.get(0).type() == HolepunchMessage.Type.CONNECT,
                    "the target hears only of a relayed rendezvous");
            assertTrue(dialled.size() <= 1 && sender.holepunch.size() + dialled.size() <= 1 || sender.closed != null,
                    "a connect dials, a rendezvous is answered, never both");
            for (InetSocketAddress endpoint : dialled) {
                assertTrue(endpoint.getPort() != 0 && !endpoint.getAddress().isAnyLocalAddress() && !endpoint.equals(OURS),
                        "dialled " + endpoint);
            }
        });
    }
}
