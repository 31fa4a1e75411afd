package io.graytorrent.api;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The watch folder's keys ({@code io.graytorrent.watch}) that can change while the server runs.
 *
 * @param watchDirectory the directory whose {@code .torrent} and {@code .magnet} files are added; empty: off
 * @param saveDirectory  where the torrents added from it save their data; empty: the engine's default
 * @param paused         add them stopped
 */
public record WatchFolderSettings(String watchDirectory, String saveDirectory, boolean paused) {
    public WatchFolderSettings {
        checkDirectory("watchDirectory", watchDirectory);
        checkDirectory("saveDirectory", saveDirectory);
    }

    /** On: a watch directory is set. */
    public boolean on() {
        return !watchDirectory.isEmpty();
    }

    private static void checkDirectory(String name, String directory) {
        if (directory == null) {
            throw new IllegalArgumentException(name + " must be given (empty for none)");
        }
        if (directory.isEmpty()) {
            return;
        }
        try {
            if (!Path.of(directory).isAbsolute()) {
                throw new IllegalArgumentException(name + " must be an absolute path or empty");
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(name + " is not a path: " + e.getMessage(), e);
        }
    }
}
