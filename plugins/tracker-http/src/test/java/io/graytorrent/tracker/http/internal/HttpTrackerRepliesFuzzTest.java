package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TrackerException;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.nio.charset.StandardCharsets;

/**
 * Any reply body is read both as an announce and as a scrape reply; each gives a response or fails
 * with {@link TrackerException}, anything else escaping is a finding. Seeds live in
 * src/test/resources/io/graytorrent/tracker/http/internal/HttpTrackerRepliesFuzzTestInputs/parsesOrRejects/.
 */
@Slow
class HttpTrackerRepliesFuzzTest {
    /** A small reply limit, so the fuzzer reaches it with short inputs. */
    private static final HttpTrackerReplies REPLIES = new HttpTrackerReplies(1 << 16);
    /** The hash the scrape seeds list: twenty 'a's, so a seed can name it in plain text. */
    private static final InfoHash INFO_HASH = InfoHash.of("aaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII));
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 256);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                AnnounceResponse announce = REPLIES.announce(input);
                assertTrue(announce.peers().size() <= HttpTrackerReplies.MAX_PEERS, "peers are capped");
                assertTrue(announce.interval().compareTo(HttpTrackerReplies.MAX_INTERVAL) <= 0, "interval is clamped");
            } catch (TrackerException expected) {
                // the contract: our own error for a bad reply
            }
            try {
                REPLIES.scrape(input, INFO_HASH);
            } catch (TrackerException expected) {
                // likewise
            }
        });
    }
}
