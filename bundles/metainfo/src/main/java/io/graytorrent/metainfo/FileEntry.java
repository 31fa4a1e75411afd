package io.graytorrent.metainfo;

import java.util.List;

/**
 * One file of a torrent, in the torrent's order.
 *
 * @param path       path components below the download directory, already made safe and unique
 *                   (no "..", ".", empty, separator, control-character, drive-letter or reserved
 *                   components). A single-file torrent has one entry whose path is just its name.
 * @param length     size in bytes
 * @param offset     where the file starts in the torrent's concatenated byte stream
 * @param attributes BEP 47 attribute letters ("p" padding, "x" executable, "h" hidden,
 *                   "l" symlink), empty when none
 */
public record FileEntry(List<String> path, long length, long offset, String attributes) {

    public FileEntry {
        path = List.copyOf(path);
    }

    /** A BEP 47 padding file: its bytes are zeros and are never written to disk. */
    public boolean isPadding() {
        return attributes.indexOf('p') >= 0;
    }

    /** The path joined with '/', for display. */
    public String displayPath() {
        return String.join("/", path);
    }
}
