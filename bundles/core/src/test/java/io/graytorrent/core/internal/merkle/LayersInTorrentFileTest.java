package io.graytorrent.core.internal.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.MagnetParser;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learnt piece layers written into a magnet link's .torrent: the rest byte for byte, the layers as fetched. */
@Unit
class LayersInTorrentFileTest {
    @TempDir
    Path dir;

    @Test
    void learntLayersAreWrittenInAndTheInfoHashesAndTrackersStay() throws Exception {
        MetainfoV2 full = V2Torrent.create(dir);
        byte[] magnetTorrent = new MagnetParser().parse("magnet:?xt=urn:btmh:1220" + full.infoHash().toHex()
                + "&tr=http%3A%2F%2Ftracker.example%2Fannounce").toTorrentFile(full.info());
        Metainfo fetched = new MetainfoParser().parseMetadata(magnetTorrent);
        PieceLayers layers = PieceLayers.of(fetched.v2().orElseThrow());
        int big = full.files().indexOf(V2Torrent.file(full, "big"));
        int c = full.files().indexOf(V2Torrent.file(full, "c"));
        assertEquals(List.of(big, c), layers.missing());
        assertArrayEquals(magnetTorrent, LayersInTorrentFile.with(magnetTorrent, layers), "nothing learnt, nothing changed");

        assertTrue(layers.offer(c, full.files().get(c).pieceLayer()));
        byte[] half = LayersInTorrentFile.with(magnetTorrent, layers);
        MetainfoException stillMissing = assertThrows(MetainfoException.class, () -> new MetainfoParser().parse(half));
        assertTrue(stillMissing.getMessage().contains("has no layer for file 'v2-16384/big'")
                || stillMissing.getMessage().contains("big"), stillMissing.getMessage());
        assertArrayEquals(full.files().get(c).pieceLayer(),
                new MetainfoParser().parseMetadata(half).v2().orElseThrow().files().get(c).pieceLayer());

        assertTrue(layers.offer(big, full.files().get(big).pieceLayer()));
        Metainfo kept = new MetainfoParser().parse(LayersInTorrentFile.with(half, layers)); // strict: every layer
        assertEquals(full.infoHash(), kept.v2().orElseThrow().infoHash());
        assertEquals(fetched.infoHash(), kept.infoHash());
        assertEquals(List.of(List.of("http://tracker.example/announce")), kept.trackerTiers());
        for (int file = 0; file < full.files().size(); file++) {
            assertArrayEquals(full.files().get(file).pieceLayer(), kept.v2().orElseThrow().files().get(file).pieceLayer());
        }
    }
}
