package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;

/**
 * Any bytes either parse to a {@link Metainfo} or fail with {@link MetainfoException}; anything
 * else escaping is a finding. A parsed torrent's files tile its length and its piece hashes cover
 * it. Seeds live in src/test/resources/io/graytorrent/metainfo/MetainfoParserFuzzTestInputs/.
 */
@Slow
class MetainfoParserFuzzTest {
    /** Small bencode limits, so the fuzzer reaches them with short inputs. */
    private static final MetainfoParser PARSER = new MetainfoParser(new BencodeLimits(1 << 16, 16, 1 << 14, 1024));
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 256);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                PARSER.parse(input);
            } catch (MetainfoException expected) {
                // the contract: our own error for bad input
            }
        });
        Metainfo parsed;
        try {
            parsed = PARSER.parse(input);
        } catch (MetainfoException expected) {
            return;
        }
        long offset = 0;
        for (FileEntry file : parsed.files()) {
            assertEquals(offset, file.offset(), "files follow each other without gaps");
            offset += file.length();
        }
        assertEquals(offset, parsed.totalLength());
        long pieces = (offset + parsed.pieceLength() - 1) / parsed.pieceLength();
        if (parsed.isV2Only()) {
            assertEquals(0, parsed.pieceHashes().length, "a v2-only torrent's pieces verify by merkle trees");
            assertEquals(pieces, parsed.pieceCount());
            assertEquals(pieces, parsed.v2().orElseThrow().pieceCount(), "the download layout has BEP 52's pieces");
        } else {
            assertEquals(pieces * Metainfo.HASH_LENGTH, parsed.pieceHashes().length, "one SHA-1 per piece");
        }
        assertTrue(parsed.httpSeeds().size() <= MetainfoParser.MAX_HTTP_SEEDS, "httpseeds bounded");
        for (String url : parsed.httpSeeds()) {
            assertTrue(url.length() <= MetainfoParser.MAX_HTTP_SEED_URL && url.matches("(?i)https?://.+"),
                    "an httpseed kept is an http(s) URL of bounded length: " + url);
        }
        for (int piece = 0; piece < parsed.pieceCount(); piece++) {
            int data = parsed.dataLength(piece);
            assertTrue(data > 0 && data <= parsed.pieceLength(piece), "piece " + piece + " has data to ask for");
        }
    }
}
