package io.graytorrent.core.internal.merkle;

import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.metainfo.V2File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** A real v2 torrent made by {@link TorrentCreator} from files written under a test's directory. */
final class V2Torrent {
    static final int PIECE = 16 * 1024;

    private V2Torrent() {
    }

    /**
     * Files in tree order: "big" of 520 pieces (two piece-layer requests: 512 and 8), "c" of 3 pieces,
     * "small" of one short piece (no piece layer).
     */
    static MetainfoV2 create(Path dir) throws Exception {
        return create(dir, PIECE);
    }

    /** The same files in pieces of {@code pieceLength}. */
    static MetainfoV2 create(Path dir, int pieceLength) throws Exception {
        Path root = Files.createDirectories(dir.resolve("v2-" + pieceLength));
        Random random = new Random(5);
        write(root.resolve("big"), 520 * PIECE - 100, random);
        write(root.resolve("c"), 2 * PIECE + 1, random);
        write(root.resolve("small"), 1000, random);
        byte[] torrent = TorrentCreator.forPath(root).pieceLength(pieceLength).format(TorrentCreator.Format.V2).create();
        return new MetainfoParser().read(torrent).v2().orElseThrow();
    }

    /** The same torrent as a magnet link's metadata gives it: no piece layers. */
    static MetainfoV2 withoutPieceLayers(MetainfoV2 torrent) {
        List<V2File> files = torrent.files().stream()
                .map(f -> new V2File(f.entry(), f.piecesRoot(), new byte[0])).toList();
        return new MetainfoV2(torrent.infoHash(), torrent.info(), torrent.name(), torrent.pieceLength(), files,
                torrent.multiFile());
    }

    static V2File file(MetainfoV2 torrent, String name) {
        return torrent.files().stream().filter(f -> f.entry().path().get(f.entry().path().size() - 1).equals(name))
                .findFirst().orElseThrow();
    }

    private static void write(Path file, int length, Random random) throws Exception {
        byte[] data = new byte[length];
        random.nextBytes(data);
        Files.write(file, data);
    }
}
