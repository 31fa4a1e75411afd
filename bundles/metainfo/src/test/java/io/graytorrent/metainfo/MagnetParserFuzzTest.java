package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.InfoHash;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.nio.charset.StandardCharsets;

/**
 * Any text either parses to a {@link MagnetLink} or fails with {@link MagnetException}; anything
 * else escaping is a finding. A parsed link names one infohash, stays within the parser's counts,
 * and a link rebuilt from its parts names the same torrent. Seeds live in
 * src/test/resources/io/graytorrent/metainfo/MagnetParserFuzzTestInputs/.
 */
@Slow
class MagnetParserFuzzTest {
    private static final MagnetParser PARSER = new MagnetParser();
    /**
     * Per input byte, more than the other targets: while fuzzing, Jazzer's string-compare hooks
     * allocate kilobytes per compared string (each parameter name costs one compare, and
     * {@code xt=&} is four bytes); the parser itself allocates a few bytes per input byte. An
     * allocation that follows a count or length in the input would still overrun this by far.
     */
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 4096);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRejects(byte[] input) {
        String link = new String(input, StandardCharsets.UTF_8);
        MEMORY.check(input.length, () -> {
            try {
                PARSER.parse(link);
            } catch (MagnetException expected) {
                // the contract: our own error for bad input
            }
        });
        MagnetLink parsed;
        try {
            parsed = PARSER.parse(link);
        } catch (MagnetException expected) {
            return;
        }
        assertTrue(parsed.peers().size() <= MagnetParser.MAX_ENTRIES);
        assertTrue(parsed.webSeeds().size() <= MagnetParser.MAX_ENTRIES);
        assertTrue(parsed.trackerTiers().stream().mapToInt(java.util.List::size).sum() <= MagnetParser.MAX_ENTRIES);
        assertTrue(parsed.selectedFiles().size() <= MagnetParser.MAX_FILE_RANGES);
        InfoHash again;
        try {
            again = PARSER.parse("magnet:?xt=urn:btih:" + parsed.infoHash().toHex()).infoHash();
        } catch (MagnetException e) {
            throw new AssertionError("a parsed infohash must parse again", e);
        }
        assertEquals(parsed.infoHash(), again);
    }
}
