package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.util.List;

/**
 * Any bytes read as a whole torrent ({@link MetainfoParser#read}, v1, v2 or hybrid) give a
 * {@link ParsedTorrent} or a {@link MetainfoException}; anything else escaping is a finding. A v2
 * view's files start on piece boundaries, in order, each piece layer one hash a piece and hashing
 * to its root; a hybrid's v1 view lists the same files. Seeds (made by libtorrent, some then broken)
 * live in src/test/resources/io/graytorrent/metainfo/MetainfoV2FuzzTestInputs/.
 */
@Slow
class MetainfoV2FuzzTest {
    /** Small bencode limits, so the fuzzer reaches them with short inputs. */
    private static final MetainfoParser PARSER = new MetainfoParser(new BencodeLimits(1 << 16, 24, 1 << 14, 2048));
    private static final AllocationBudget MEMORY = new AllocationBudget(64 << 10, 256);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void readsOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> {
            try {
                PARSER.read(input);
            } catch (MetainfoException expected) {
                // the contract: our own error for bad input
            }
        });
        ParsedTorrent parsed;
        try {
            parsed = PARSER.read(input);
        } catch (MetainfoException expected) {
            return;
        }
        parsed.v2().ifPresent(v2 -> checkV2(v2));
        if (parsed.isHybrid()) {
            List<FileEntry> v1Files = parsed.v1().orElseThrow().files().stream().filter(f -> !f.isPadding()).toList();
            assertEquals(v2Paths(parsed.v2().orElseThrow()), v1Files.stream().map(FileEntry::path).toList());
        }
    }

    private static void checkV2(MetainfoV2 v2) {
        int pieceLength = v2.pieceLength();
        assertTrue(pieceLength >= MerkleTree.BLOCK_SIZE && Integer.bitCount(pieceLength) == 1);
        long next = 0;
        for (V2File file : v2.files()) {
            assertEquals(next, file.entry().offset(), "files follow each other piece-aligned");
            next += file.pieceCount(pieceLength) * pieceLength;
            if (file.entry().length() > pieceLength) {
                assertEquals(file.pieceCount(pieceLength) * MerkleTree.HASH_LENGTH, file.pieceLayer().length);
                assertArrayEquals(file.piecesRoot(), MerkleTree.root(file.pieceLayer(), MerkleTree.pieceLayer(pieceLength)));
            }
        }
    }

    private static List<List<String>> v2Paths(MetainfoV2 v2) {
        return v2.files().stream().map(f -> f.entry().path()).toList();
    }
}
