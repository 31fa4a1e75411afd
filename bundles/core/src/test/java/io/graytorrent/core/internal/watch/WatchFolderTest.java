package io.graytorrent.core.internal.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Unit;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Polls driven by the test, against an engine that takes what starts with "d1" and refuses the rest as bad input. */
@Unit
class WatchFolderTest {
    @TempDir
    Path watched;

    private final List<AddTorrent> added = new ArrayList<>();

    private final TorrentService engine = (TorrentService) Proxy.newProxyInstance(TorrentService.class.getClassLoader(),
            new Class<?>[] {TorrentService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("add")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                AddTorrent request = (AddTorrent) args[0];
                if (request.torrentFile() != null && new String(request.torrentFile()).startsWith("dup")) {
                    throw new TorrentException(TorrentException.Kind.ALREADY_MANAGED, "already managed as 1");
                }
                if (request.torrentFile() != null && !new String(request.torrentFile()).startsWith("d1")) {
                    throw new TorrentException(TorrentException.Kind.INVALID_INPUT, "not a .torrent");
                }
                added.add(request);
                return new TorrentStatus(added.size(), InfoHash.parse("%040x".formatted(added.size())), "t",
                        Path.of("/d"), TorrentState.STOPPED, 0, 0, 0, 0, 0, 0, 0, 0, 0, OptionalLong.empty(),
                        Optional.empty());
            });

    private Set<String> names() throws Exception {
        try (Stream<Path> files = Files.list(watched)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void aFileIsReadOnlyOnceItStopsChangingThenRenamedAdded() throws Exception {
        WatchFolder folder = new WatchFolder(watched, Path.of("/save"), true, engine);
        Path torrent = watched.resolve("a.torrent");
        Files.writeString(torrent, "d1");
        folder.poll();
        Files.writeString(torrent, "d1:more");
        folder.poll();
        assertEquals(List.of(), added, "still being written");
        Files.writeString(torrent, "d1:moree");
        Files.setLastModifiedTime(torrent, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        folder.poll();
        assertEquals(List.of(), added);
        folder.poll();
        assertEquals(1, added.size());
        assertArrayEquals("d1:moree".getBytes(), added.get(0).torrentFile());
        assertEquals(Path.of("/save"), added.get(0).saveDirectory());
        assertTrue(added.get(0).paused());
        assertEquals(Set.of("a.torrent.added"), names());
    }

    @Test
    void magnetFilesBadFilesAndDuplicates() throws Exception {
        WatchFolder folder = new WatchFolder(watched, null, false, engine);
        Files.writeString(watched.resolve("m.magnet"), "\nmagnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=x\nrest\n");
        Files.writeString(watched.resolve("bad.torrent"), "garbage");
        Files.writeString(watched.resolve("empty.magnet"), "http://not-a-magnet\n");
        Files.writeString(watched.resolve("dup.torrent"), "dup");
        Files.writeString(watched.resolve("notes.txt"), "ignored");
        Files.writeString(watched.resolve("half.torrent.part"), "ignored");
        folder.poll();
        folder.poll();
        assertEquals(1, added.size());
        assertEquals("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=x", added.get(0).magnetUri());
        assertEquals(null, added.get(0).saveDirectory());
        assertEquals(Set.of("m.magnet.added", "bad.torrent.invalid", "empty.magnet.invalid", "dup.torrent.added",
                "notes.txt", "half.torrent.part"), names());
    }

    @Test
    void aFileRenamedIntoPlaceIsTakenAtTheNextLooks() throws Exception {
        WatchFolder folder = new WatchFolder(watched, null, false, engine);
        Path part = watched.resolve("b.torrent.part");
        Files.writeString(part, "d1:slow");
        folder.poll();
        Files.move(part, watched.resolve("b.torrent"));
        folder.poll();
        assertEquals(List.of(), added);
        folder.poll();
        assertEquals(1, added.size());
    }
}
