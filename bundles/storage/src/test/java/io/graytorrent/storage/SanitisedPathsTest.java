package io.graytorrent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.Unit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile .torrent goes through the real parser and the real storage: every file lands, under its
 * sanitised name, inside the torrent's directory, and a symlink entry is written as a plain file.
 */
@Unit
class SanitisedPathsTest {
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path home;
    @TempDir
    Path downloads;
    private StorageService service;

    @AfterEach
    void close() {
        service.close();
    }

    private static Map<String, Object> file(long length, String attributes, String... path) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("length", length);
        file.put("path", List.of(path));
        if (!attributes.isEmpty()) {
            file.put("attr", attributes);
        }
        return file;
    }

    @Test
    void everyFileIsWrittenUnderItsSafeNameInsideTheTorrentDirectory() throws Exception {
        Map<String, Object> link = file(0, "l", "link");
        link.put("symlink path", List.of("..", "..", "etc", "passwd"));
        List<Map<String, Object>> files = List.of(file(3, "", "..", "..", "escape"), file(3, "", ".", "dot"),
                file(3, "", "", "empty", "", "x"), file(3, "", "a/b"), file(3, "", "/abs"), file(3, "", "C:"),
                file(3, "", "CON"), file(3, "", "trail. "), file(3, "", "ctl\u0001"), file(3, "", "dup"),
                file(3, "", "dup"), file(3, "", "f"), file(3, "", "f", "inner"), link, file(3, "x", "tool"));
        long total = files.stream().mapToLong(f -> (Long) f.get("length")).sum();
        byte[] content = new byte[(int) total];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", files);
        info.put("name", "../evil");
        info.put("piece length", PIECE);
        info.put("pieces", TestTorrent.sha1(content, 0, content.length));
        Metainfo metainfo = new MetainfoParser().parse(BencodeEncoder.encode(Map.of("info", info)));

        service = Storages.create(StorageConfig.defaults(home.resolve("state")));
        TorrentStorage storage = TorrentStorageTest.await(service.open(metainfo, downloads, List.of()));
        TorrentStorageTest.await(storage.writeBlock(0, 0, ByteBuffer.wrap(content)));
        assertTrue(TorrentStorageTest.await(storage.verifyPiece(0)));

        assertEquals(List.of(".._evil"), list(downloads, false), "one directory, the safe name");
        Path root = downloads.resolve(".._evil");
        assertEquals(new TreeSet<>(Set.of("escape", "dot", "empty/x", "a_b", "_abs", "C_", "CON_", "trail", "ctl_",
                "dup", "dup.1", "f", "f.1/inner", "link", "tool")), new TreeSet<>(list(root, true)));
        assertFalse(Files.isSymbolicLink(root.resolve("link")), "a symlink entry is a plain file, never a link");
        assertEquals(0, Files.size(root.resolve("link")));
        assertEquals("abc", Files.readString(root.resolve("escape")));
        assertFalse(Files.isExecutable(root.resolve("tool")), "the executable bit is not set by a torrent");
    }

    /** The regular files (recursively) or entries directly under {@code dir}, relative, with '/'. */
    private static List<String> list(Path dir, boolean recursive) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> paths = recursive ? Files.walk(dir) : Files.list(dir)) {
            paths.filter(p -> !recursive || Files.isRegularFile(p))
                    .forEach(p -> names.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        return names;
    }
}
