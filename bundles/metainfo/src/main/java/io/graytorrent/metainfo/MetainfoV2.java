package io.graytorrent.metainfo;

import java.util.List;

/**
 * The v2 view of a parsed, validated v2 or hybrid .torrent (BEP 52). Immutable.
 *
 * @param infoHash    SHA-256 of the exact bytes of the {@code info} dictionary
 * @param info        those bytes, as received
 * @param name        the suggested name, already safe
 * @param pieceLength bytes per piece: a power of two, at least 16 KiB
 * @param files       the files of the {@code file tree} in tree order, empty files included
 * @param multiFile   false when the tree holds one file at its top, which is then the torrent
 */
public record MetainfoV2(InfoHashV2 infoHash, byte[] info, String name, int pieceLength, List<V2File> files,
        boolean multiFile) {

    public MetainfoV2 {
        files = List.copyOf(files);
    }

    /** Sum of the file lengths (the alignment gaps between files not counted). */
    public long totalLength() {
        return files.stream().mapToLong(f -> f.entry().length()).sum();
    }

    /** Pieces of all files together; each file's last piece may be short. */
    public long pieceCount() {
        return files.stream().mapToLong(f -> f.pieceCount(pieceLength)).sum();
    }
}
