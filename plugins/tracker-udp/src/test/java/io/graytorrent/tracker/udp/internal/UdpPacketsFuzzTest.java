package io.graytorrent.tracker.udp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.TrackerException;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.nio.ByteBuffer;

/**
 * Any datagram, however short, is read by every
 * reply parser, whatever its action says; each gives a value or fails with {@link TrackerException},
 * anything else escaping is a finding. Seeds live in
 * src/test/resources/io/graytorrent/tracker/udp/internal/UdpPacketsFuzzTestInputs/parsesOrRejects/.
 */
@Slow
class UdpPacketsFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 256);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            UdpPackets.errorMessage(ByteBuffer.wrap(input));
            try {
                UdpPackets.connectionId(ByteBuffer.wrap(input));
            } catch (TrackerException expected) {
                // the contract: our own error for a bad reply
            }
            for (int addressLength : new int[] {4, 16}) {
                try {
                    AnnounceResponse announce = UdpPackets.announceReply(ByteBuffer.wrap(input), addressLength);
                    assertTrue(announce.peers().size() <= UdpPackets.MAX_PEERS, "peers are capped");
                    assertTrue(announce.interval().compareTo(UdpPackets.MAX_INTERVAL) <= 0, "interval is clamped");
                } catch (TrackerException expected) {
                    // likewise
                }
            }
            try {
                UdpPackets.scrapeReply(ByteBuffer.wrap(input));
            } catch (TrackerException expected) {
                // likewise
            }
        });
    }
}
