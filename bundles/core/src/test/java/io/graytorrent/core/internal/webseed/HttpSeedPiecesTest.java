package io.graytorrent.core.internal.webseed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BEP 17 requests as {@link HttpSeedPieces} cuts and spells them, and the 503 body's seconds. */
@Unit
class HttpSeedPiecesTest {
    @TempDir
    Path dir;

    private Metainfo torrent(TorrentCreator.Format format) throws Exception {
        Path file = dir.resolve("f.bin");
        Files.write(file, new byte[40_000]);
        return new MetainfoParser().parse(TorrentCreator.forPath(file).pieceLength(16384).format(format).create());
    }

    @Test
    void aRunIsCutAtPieceBoundariesAndAskedWithInclusiveRanges() throws Exception {
        Metainfo metainfo = torrent(TorrentCreator.Format.V1);
        HttpSeedPieces pieces = new HttpSeedPieces(metainfo, "http://h.example/s");
        List<SeedLayout.Segment> segments = pieces.segments(10_000, 30_000);
        assertEquals(List.of(new SeedLayout.Segment(0, 10_000, 6384, false), new SeedLayout.Segment(1, 0, 16384, false),
                new SeedLayout.Segment(2, 0, 7232, false)), segments);
        String hash = WebSeedFiles.encode(metainfo.infoHash().toBytes());
        assertEquals("http://h.example/s?info_hash=" + hash + "&piece=2&ranges=0-7231",
                pieces.request(segments.get(2)).uri().toString());
        assertEquals("http://h.example/s?t=1&info_hash=" + hash + "&piece=0&ranges=10000-16383",
                new HttpSeedPieces(metainfo, "http://h.example/s?t=1").request(segments.get(0)).uri().toString());
    }

    @Test
    void notForAV2OnlyTorrentNorANonHttpUrl() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new HttpSeedPieces(torrent(TorrentCreator.Format.V2), "http://h/"));
        assertThrows(IllegalArgumentException.class, () -> new HttpSeedPieces(torrent(TorrentCreator.Format.V1), "ftp://h/"));
    }

    @Test
    void theWaitBodyIsSecondsOrNothing() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), HttpSeedPieces.waitSeconds(" 30\r\n"));
        assertEquals(Optional.of(Duration.ZERO), HttpSeedPieces.waitSeconds("0"));
        assertEquals(Optional.empty(), HttpSeedPieces.waitSeconds(""));
        assertEquals(Optional.empty(), HttpSeedPieces.waitSeconds("soon"));
        assertEquals(Optional.empty(), HttpSeedPieces.waitSeconds("-5"));
        assertEquals(Optional.empty(), HttpSeedPieces.waitSeconds("9999999999"), "more digits than a wait needs");
    }
}
