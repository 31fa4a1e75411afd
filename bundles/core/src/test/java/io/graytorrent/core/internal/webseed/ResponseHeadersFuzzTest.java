package io.graytorrent.core.internal.webseed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A web server's {@code Content-Range} and {@code Retry-After} values, as a web seed reads them: a
 * range with {@code 0 <= first <= last < total} (or an unknown total) that prints back to an
 * equal range, or nothing; a delay that is not negative, or nothing; never an exception. Seeds
 * live in src/test/resources/io/graytorrent/core/internal/webseed/ResponseHeadersFuzzTestInputs/.
 */
@Slow
class ResponseHeadersFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 64);
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRefuses(byte[] input) {
        MEMORY.check(input.length, () -> parse(new String(input, StandardCharsets.ISO_8859_1)));
    }

    private static void parse(String value) {
        ResponseHeaders.contentRange(value).ifPresent(range -> {
            assertTrue(range.first() >= 0 && range.first() <= range.last(), range.toString());
            assertTrue(range.total() == -1 || range.total() > range.last(), range.toString());
            String printed = "bytes " + range.first() + "-" + range.last() + "/" + (range.total() == -1 ? "*" : range.total());
            assertEquals(range, ResponseHeaders.contentRange(printed).orElseThrow());
        });
        ResponseHeaders.retryAfter(value, NOW).ifPresent(delay -> assertTrue(!delay.isNegative(), delay.toString()));
    }
}
