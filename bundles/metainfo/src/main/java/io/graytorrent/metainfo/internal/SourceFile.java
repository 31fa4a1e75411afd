package io.graytorrent.metainfo.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A regular file to put in a new torrent.
 *
 * @param path   its components below the torrent's root (just the name for a single-file torrent)
 * @param file   where it is read from
 * @param length its size when it was listed
 */
public record SourceFile(List<String> path, Path file, long length) {
}
