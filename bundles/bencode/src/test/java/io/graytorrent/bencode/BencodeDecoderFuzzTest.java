package io.graytorrent.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;

/**
 * Any bytes either decode or fail with {@link BencodeException}; anything else escaping is a
 * finding. Canonical input also re-encodes to exactly the bytes it came from. Seeds live in
 * src/test/resources/io/graytorrent/bencode/BencodeDecoderFuzzTestInputs/decodesOrRejects/.
 */
@Slow
class BencodeDecoderFuzzTest {
    /** Small limits, so the fuzzer reaches them with short inputs. */
    private static final BencodeDecoder DECODER = new BencodeDecoder(new BencodeLimits(1 << 16, 16, 1 << 12, 512));
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 256);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void decodesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                DECODER.decode(input);
            } catch (BencodeException expected) {
                // the contract: our own error for bad input
            }
        });
        BValue canonical;
        try {
            canonical = DECODER.decodeCanonical(input);
        } catch (BencodeException expected) {
            return;
        }
        assertArrayEquals(input, BencodeEncoder.encode(canonical), "canonical input re-encodes to itself");
    }
}
