package io.graytorrent.metainfo;

import static io.graytorrent.metainfo.Torrents.file;
import static io.graytorrent.metainfo.Torrents.multiFileInfo;
import static io.graytorrent.metainfo.Torrents.singleFileInfo;
import static io.graytorrent.metainfo.Torrents.torrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unsafe paths are made safe, one rule a case, as mainstream clients do: each checks the path shown
 * and that the path storage joins to the download directory stays inside it.
 */
@Unit
class SafePathsTest {
    private static final Path DOWNLOADS = Path.of("/downloads");
    private final MetainfoParser parser = new MetainfoParser();

    /** The paths shown for the non-padding files of a multi-file torrent "t" with these file paths. */
    private List<String> shown(List<String>... paths) throws MetainfoException {
        List<Map<String, Object>> files = Arrays.stream(paths).map(p -> file(1, p.toArray(String[]::new))).toList();
        Metainfo meta = parser.parse(torrent(multiFileInfo("t", files)));
        meta.files().forEach(f -> assertStaysInside(meta, f));
        return meta.files().stream().map(FileEntry::displayPath).toList();
    }

    private String shownOne(String... path) throws MetainfoException {
        return shown(List.of(path)).get(0);
    }

    /** Where storage writes the file: the download directory, the torrent's name, the path. */
    private static void assertStaysInside(Metainfo meta, FileEntry file) {
        Path target = DOWNLOADS.resolve(meta.name());
        for (String component : file.path()) {
            target = target.resolve(component);
        }
        Path written = target.normalize();
        assertTrue(written.startsWith(DOWNLOADS.resolve(meta.name())) && written.getNameCount()
                == DOWNLOADS.getNameCount() + 1 + file.path().size(), "escapes: " + written);
    }

    @Test
    void dotDotComponentsAreDropped() throws Exception {
        assertEquals("etc/passwd", shownOne("..", "..", "etc", "passwd"));
        assertEquals("a/b", shownOne("a", "..", "b"));
    }

    @Test
    void dotComponentsAreDropped() throws Exception {
        assertEquals("a/b", shownOne(".", "a", ".", "b"));
    }

    @Test
    void emptyComponentsAreDropped() throws Exception {
        assertEquals("a/b", shownOne("", "a", "", "b"));
    }

    @ParameterizedTest
    @CsvSource({"a/b, a_b", "a\\b, a_b", "../../x, .._.._x", "/etc, _etc", "\\evil, _evil"})
    void separatorsInsideAComponentAreReplacedSoAbsolutePathsBecomeRelative(String component, String safe)
            throws Exception {
        assertEquals("d/" + safe, shownOne("d", component));
    }

    @ParameterizedTest
    @CsvSource({"C:, C_", "c:evil, c_evil", "C:\\Windows, C__Windows"})
    void driveLettersAreReplaced(String component, String safe) throws Exception {
        assertEquals(safe, shownOne(component));
    }

    @ParameterizedTest
    @CsvSource({"CON, CON_", "con, con_", "PRN, PRN_", "AUX, AUX_", "NUL, NUL_", "COM1, COM1_", "lpt9, lpt9_",
        "CON.txt, CON_.txt", "nul.tar.gz, nul_.tar.gz", "Aux .txt, Aux _.txt",
        "CONSOLE, CONSOLE", "COM10, COM10", "LPT, LPT", ".hidden, .hidden"})
    void windowsDeviceNamesAreAltered(String component, String safe) throws Exception {
        assertEquals(safe, shownOne(component));
    }

    @ParameterizedTest
    @CsvSource({"'name. ', name", "'a...', a", "'...', _", "'dir ', dir"})
    void trailingDotsAndSpacesAreDropped(String component, String safe) throws Exception {
        assertEquals(safe, shownOne(component));
    }

    @Test
    void controlCharactersAreReplaced() throws Exception {
        assertEquals("a_b_c_d", shownOne("a\0b\nc\u007fd"));
    }

    @Test
    void charactersWindowsRefusesAreReplaced() throws Exception {
        assertEquals("Movie_ Part 2_ _a_b_ _c_", shownOne("Movie: Part 2? <a|b> \"c*"));
    }

    @Test
    void overlongNamesAreCutKeepingTheirExtension() throws Exception {
        assertEquals("a".repeat(251) + ".txt", shownOne("a".repeat(300) + ".txt"));
        String shown = shownOne("é".repeat(200) + ".txt");
        // 255 bytes hold ".txt" and 125 two-byte characters, not half of a 126th
        assertEquals("é".repeat(125) + ".txt", shown);
    }

    @Test
    void theSamePathTwiceGetsANumberedName() throws Exception {
        assertEquals(List.of("d/a", "d/a.1", "d/a.2"), shown(List.of("d", "a"), List.of("d", "a"), List.of("d", "a")));
        assertEquals(List.of("x.txt", "x.1.txt"), shown(List.of("x.txt"), List.of("x.txt")));
        // case differs: different files on the file systems we write to
        assertEquals(List.of("d/a", "d/A"), shown(List.of("d", "a"), List.of("d", "A")));
    }

    @Test
    void pathsThatMeetOnceSanitisedGetNumberedNames() throws Exception {
        assertEquals(List.of("a_b", "a_b.1", "a_b.2"), shown(List.of("a/b"), List.of("a_b"), List.of("a\\b")));
    }

    @Test
    void aFileWhereADirectoryGoesIsRenamed() throws Exception {
        assertEquals(List.of("d", "d.1/a", "d.1/b"), shown(List.of("d"), List.of("d", "a"), List.of("d", "b")));
        assertEquals(List.of("d/a", "d.1"), shown(List.of("d", "a"), List.of("d")));
    }

    @Test
    void aFileWhosePathSanitisesToNothingIsNamedBesideTheOthers() throws Exception {
        assertEquals(List.of("a", "_", "_.1"), shown(List.of("a"), List.of(".."), List.of("", ".")));
    }

    @Test
    void theUtf8PathIsMadeSafeToo() throws Exception {
        Map<String, Object> f = file(1, "safe");
        f.put("path.utf-8", List.of("..", "etc"));
        Metainfo meta = parser.parse(torrent(multiFileInfo("t", List.of(f))));
        assertEquals("etc", meta.files().get(0).displayPath());
    }

    @ParameterizedTest
    @CsvSource({"../evil, .._evil", "CON, CON_", "/etc, _etc", "'a. ', a"})
    void theNameIsMadeSafe(String name, String safe) throws Exception {
        Metainfo single = parser.parse(torrent(singleFileInfo(name, 1)));
        assertEquals(safe, single.name());
        assertEquals(List.of(safe), single.files().get(0).path());
        assertStaysInside(single, single.files().get(0));
        assertEquals(safe, parser.parse(torrent(multiFileInfo(name, List.of(file(1, "a"))))).name());
    }

    @Test
    void aMultiFileTorrentWhoseNameIsNoNameIsCalledByItsInfohash() throws Exception {
        Metainfo meta = parser.parse(torrent(multiFileInfo("..", List.of(file(1, "a")))));
        assertEquals(meta.infoHash().toHex(), meta.name());
    }
}
