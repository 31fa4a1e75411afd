package io.graytorrent.lsd.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Any datagram, as it arrives on the LSD port from a local address: {@link LsdMessage#parse} gives
 * an announce or {@link LsdFormatException}, and a parsed announce encodes and parses back to
 * itself; then {@link LocalDiscovery} hands on at most one peer per announced torrent we run, at the
 * announced port. Seeds in src/test/resources/io/graytorrent/lsd/internal/LsdMessageFuzzTestInputs/parsesOrRejects/.
 */
@Slow
class LsdMessageFuzzTest {
    /**
     * 1 KiB a byte: while fuzzing, Jazzer's string-compare hooks allocate for every header name
     * matched, and a datagram can hold a header line every 3 bytes (as for the magnet target).
     */
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 1024);
    private static final InfoHash RUNNING = InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    private static final InetAddress LAN = InetAddress.getLoopbackAddress();

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                LsdMessage message = LsdMessage.parse(input, input.length);
                byte[] again = message.encode("239.192.152.143:6771");
                assertTrue(message.equals(LsdMessage.parse(again, again.length)), "re-encodes to itself");
            } catch (LsdFormatException expected) {
                // the contract: our own error for a datagram that is no announce
            }
        });
        LocalDiscovery discovery = new LocalDiscovery("0badc0de", new AnnounceSchedule(300_000, 60_000, 25), 60_000, 10);
        List<InetSocketAddress> found = new ArrayList<>();
        discovery.start(new RunningTorrent(RUNNING, false, 6881, false), found::add, 0);
        discovery.received(LAN, input, input.length, 0).forEach(LocalDiscovery.Handoff::run);
        assertTrue(found.size() <= 1, "one peer per torrent and datagram");
        found.forEach(peer -> assertTrue(peer.getPort() > 0 && peer.getAddress().equals(LAN), "the sender, at its port"));
    }
}
