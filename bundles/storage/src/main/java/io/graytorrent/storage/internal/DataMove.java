package io.graytorrent.storage.internal;

import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a closed torrent's files (its parts file included) from one save directory to another,
 * all or nothing: on one file system each file is renamed; when a rename cannot cross file systems,
 * every file is copied beside its new place, its size checked and renamed into place, and only then
 * are the old files deleted. A failure (no space, permissions, a file already at the new place)
 * leaves the data where it was, undoing what was done, and says why. Runs on a disk-pool thread.
 */
final class DataMove {
    private static final Logger LOG = LoggerFactory.getLogger(DataMove.class);
    static final String COPYING_SUFFIX = ".gray-moving";

    /** One file: where it is and where it goes. */
    record Pair(Path from, Path to) {
    }

    private final List<Pair> pairs;
    /** The directories below the old save directory that the torrent's files made, deepest first. */
    private final List<Path> oldDirectories;

    /** Only the files that exist move; {@code oldRoot} is the old save directory, never deleted itself. */
    DataMove(List<Path> from, List<Path> to, Path oldRoot) {
        List<Pair> existing = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            if (Files.isRegularFile(from.get(i), LinkOption.NOFOLLOW_LINKS)) {
                existing.add(new Pair(from.get(i), to.get(i)));
            }
            for (Path parent = from.get(i).getParent(); parent != null && parent.startsWith(oldRoot)
                    && !parent.equals(oldRoot); parent = parent.getParent()) {
                if (!directories.contains(parent)) {
                    directories.add(parent);
                }
            }
        }
        directories.sort((a, b) -> b.getNameCount() - a.getNameCount());
        this.pairs = List.copyOf(existing);
        this.oldDirectories = List.copyOf(directories);
    }

    /** Moves every file, or none; answers the bytes copied (0 when every file was renamed). */
    long run() throws StorageException {
        for (Pair pair : pairs) {
            if (Files.exists(pair.to(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageException(Reason.TARGET_EXISTS, pair.to() + " already exists; nothing was moved");
            }
        }
        List<Pair> renamed = new ArrayList<>();
        try {
            for (Pair pair : pairs) {
                Files.createDirectories(pair.to().getParent());
                Files.move(pair.from(), pair.to(), StandardCopyOption.ATOMIC_MOVE);
                renamed.add(pair);
            }
            removeOldDirectories();
            return 0;
        } catch (AtomicMoveNotSupportedException crossing) {
            undoRenames(renamed);
            return copyAcross();
        } catch (IOException e) {
            undoRenames(renamed);
            throw failed(e);
        }
    }

    /** Copies to a temporary name beside the target, checks the size, renames into place; deletes the old files last. */
    private long copyAcross() throws StorageException {
        long bytes = 0;
        List<Path> made = new ArrayList<>();
        try {
            for (Pair pair : pairs) {
                bytes += Files.size(pair.from());
            }
            checkSpace(bytes);
            for (Pair pair : pairs) {
                Files.createDirectories(pair.to().getParent());
                Path copying = pair.to().resolveSibling(pair.to().getFileName() + COPYING_SUFFIX);
                made.add(copying);
                Files.copy(pair.from(), copying, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING,
                        LinkOption.NOFOLLOW_LINKS);
                long expected = Files.size(pair.from());
                long copied = Files.size(copying);
                if (copied != expected) {
                    throw new IOException("copied " + copied + " of " + expected + " bytes of " + pair.from());
                }
                made.add(pair.to());
                Files.move(copying, pair.to(), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | StorageException e) {
            for (Path path : made) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException cleanup) {
                    LOG.warn("could not delete {} after a failed move: {}", path, cleanup.getMessage());
                }
            }
            throw e instanceof StorageException s ? s : failed((IOException) e);
        }
        for (Pair pair : pairs) {
            try {
                Files.delete(pair.from());
            } catch (IOException e) {
                // the data is whole at the new place: the torrent goes on from there
                LOG.warn("moved {} but could not delete the old copy: {}", pair.from(), e.getMessage());
            }
        }
        removeOldDirectories();
        return bytes;
    }

    private void checkSpace(long bytes) throws IOException, StorageException {
        if (pairs.isEmpty()) {
            return;
        }
        Path existing = pairs.get(0).to().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        FileStore store = Files.getFileStore(existing);
        long free = store.getUsableSpace();
        if (free < bytes) {
            throw new StorageException(Reason.DISK_FULL, "moving needs " + bytes + " bytes and " + existing + " has "
                    + free + " free; nothing was moved");
        }
    }

    private void undoRenames(List<Pair> renamed) {
        for (int i = renamed.size() - 1; i >= 0; i--) {
            Pair pair = renamed.get(i);
            try {
                Files.move(pair.to(), pair.from(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.error("could not move {} back to {} after a failed move: {}", pair.to(), pair.from(), e.getMessage());
            }
        }
    }

    /** The torrent's own directories, now empty; anything someone else put there stays, and so do they. */
    private void removeOldDirectories() {
        for (Path directory : oldDirectories) {
            try {
                Files.deleteIfExists(directory);
            } catch (DirectoryNotEmptyException e) {
                // not only ours
            } catch (IOException e) {
                LOG.debug("left {}: {}", directory, e.getMessage());
            }
        }
    }

    private static StorageException failed(IOException e) {
        StorageException classified = Failures.classify(e);
        return new StorageException(classified.reason(), "nothing was moved: " + e.getMessage(), e);
    }
}
