package io.graytorrent.storage.internal;

import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps every file a torrent touches inside its save directory. Metainfo already rejected "..",
 * absolute paths and the like; this re-checks on disk, where a symlink planted below the save
 * directory could otherwise redirect a write (or an upload's read) anywhere.
 */
final class PathGuard {
    private final Path root;

    /** @param root the save directory; it may itself be a symlink (the user chose it) */
    PathGuard(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /**
     * Creates the missing directories between the root and {@code file}, one at a time, checking
     * that each existing one resolves inside the root. The file itself is opened with NOFOLLOW_LINKS
     * by the caller, so a symlink in its place fails to open.
     */
    void prepareParents(Path file) throws IOException {
        Path rootReal = realRoot();
        if (file.getParent().equals(root)) {
            return;
        }
        Path current = root;
        for (Path component : root.relativize(file.getParent())) {
            current = current.resolve(component);
            try {
                Files.createDirectory(current);
            } catch (FileAlreadyExistsException e) {
                checkInside(rootReal, current);
            }
        }
    }

    /** Checks that the directory holding {@code file} resolves inside the root; the file may not exist. */
    void checkParent(Path file) throws IOException {
        checkInside(root.toRealPath(), file.getParent());
    }

    private Path realRoot() throws IOException {
        Files.createDirectories(root);
        return root.toRealPath();
    }

    private static void checkInside(Path rootReal, Path directory) throws IOException {
        Path real = directory.toRealPath();
        if (!real.startsWith(rootReal)) {
            throw new StorageException(Reason.PATH_ESCAPE, directory + " resolves to " + real + ", outside " + rootReal);
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException(Reason.NOT_A_FILE, directory + " is not a directory");
        }
    }
}
