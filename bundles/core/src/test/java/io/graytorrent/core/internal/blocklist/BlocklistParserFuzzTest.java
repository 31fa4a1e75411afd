package io.graytorrent.core.internal.blocklist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

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
        MEMORY.check(Math.max(input.length, inflatedLength(input)), () -> {
            try {
                BlocklistParser.Parsed parsed = PARSER.parse(new ByteArrayInputStream(input));
                assertTrue(parsed.linesSkipped() <= parsed.linesRead(), parsed.toString());
                assertTrue(parsed.ranges().ipv4Ranges() + parsed.ranges().ipv6Ranges() <= parsed.linesRead(), parsed.toString());
            } catch (BlocklistException | IOException expected) {
                // the contract: a list refused whole, the one before it stays in force
            }
        });
    }

    /**
     * The bytes the parser reads from a gzip input (capped at 64 MiB), else 0: a small gzip member
     * inflates to many lines, and the budget is per byte read (a 158-byte member cost 872,592 bytes).
     */
    private static int inflatedLength(byte[] input) {
        if (input.length < 2 || (input[0] & 0xff) != 0x1f || (input[1] & 0xff) != 0x8b) {
            return 0;
        }
        long total = 0;
        byte[] buffer = new byte[8192];
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(input))) {
            for (int n = in.read(buffer); n > 0 && total < (64 << 20); n = in.read(buffer)) {
                total += n;
            }
        } catch (IOException broken) {
            // counted up to where it broke
        }
        return (int) total;
    }
}
