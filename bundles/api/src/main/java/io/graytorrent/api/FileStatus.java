package io.graytorrent.api;

/**
 * One file of a torrent (padding files are not listed).
 *
 * @param index         the file's index in the torrent, as used by {@code prio}
 * @param path          path below the torrent's directory, '/'-separated
 * @param size          bytes
 * @param verifiedBytes bytes of the file in verified pieces
 * @param priority      how much it is wanted
 */
public record FileStatus(int index, String path, long size, long verifiedBytes, FilePriority priority) {
}
