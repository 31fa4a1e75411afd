package io.graytorrent.control.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class OutputStreamAdapterTest {
    private final List<String> pieces = new ArrayList<>();
    private final OutputStreamAdapter adapter = new OutputStreamAdapter(pieces::add);

    @Test
    void manyLinesInOneWriteArePassedOnAsOnePiece() {
        String listing = "ID  NAME\n".repeat(2000);
        PrintStream print = new PrintStream(adapter, true, StandardCharsets.UTF_8);
        print.print(listing);
        print.flush();
        assertEquals(listing, String.join("", pieces));
        // PrintStream hands over blocks of some KiB: a piece per block, never one per line
        assertTrue(pieces.size() <= listing.length() / 4096 + 1, pieces.size() + " pieces");
    }

    @Test
    void aPartialLineWaitsForItsEndOrAFlush() {
        byte[] bytes = "done\nhalf".getBytes(StandardCharsets.UTF_8);
        adapter.write(bytes, 0, bytes.length);
        assertEquals(List.of("done\n"), pieces);
        adapter.write('\r');
        assertEquals(List.of("done\n", "half\r"), pieces);
        adapter.write('x');
        adapter.flush();
        assertEquals(List.of("done\n", "half\r", "x"), pieces);
    }

    @Test
    void aLineSplitAcrossWritesIsPassedOnWhole() {
        byte[] bytes = "é1\né2\n".getBytes(StandardCharsets.UTF_8);
        adapter.write(bytes, 0, 1); // half of a two-byte character
        adapter.write(bytes, 1, bytes.length - 1);
        assertEquals(List.of("é1\né2\n"), pieces);
    }
}
