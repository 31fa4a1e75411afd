package io.graytorrent.core.internal.blocklist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A downloaded blocklist, any bytes, plain or (by its magic bytes) gzip: a list whose merged ranges
 * are no more than its lines, with skipped lines counted among the lines read, or
 * {@link BlocklistException} (no valid range, too many) or an {@link IOException} (broken gzip);
 * nothing else, and no name looked up. Seeds in
 * src/test/resources/io/graytorrent/core/internal/blocklist/BlocklistParserFuzzTestInputs/parsesOrRefuses/.
 */
@Slow
class BlocklistParserFuzzTest {
    /** 1 KiB a byte: Jazzer's string hooks allocate for every comparison, and a line can be two bytes long. */
    private static final AllocationBudget MEMORY = new AllocationBudget(512 << 10, 1024);
    private static final BlocklistParser PARSER = new BlocklistParser(1000);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRefuses(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                BlocklistParser.Parsed parsed = PARSER.parse(new ByteArrayInputStream(input));
                assertTrue(parsed.linesSkipped() <= parsed.linesRead(), parsed.toString());
                assertTrue(parsed.ranges().ipv4Ranges() + parsed.ranges().ipv6Ranges() <= parsed.linesRead(), parsed.toString());
            } catch (BlocklistException | IOException expected) {
                // the contract: a list refused whole, the one before it stays in force
            }
        });
    }
}
