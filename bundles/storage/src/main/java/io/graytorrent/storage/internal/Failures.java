package io.graytorrent.storage.internal;

import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/** Turns what the JDK throws into a {@link StorageException} with a reason a user can act on. */
final class Failures {
    private Failures() {
    }

    static StorageException classify(Throwable failure, Path path) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof StorageException storage) {
            return storage;
        }
        String message = String.valueOf(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        String where = path == null ? "" : path + ": ";
        if (lower.contains("no space left") || lower.contains("disk quota")) {
            return new StorageException(Reason.DISK_FULL, where + message, cause);
        }
        if (lower.contains("read-only file system")) {
            return new StorageException(Reason.READ_ONLY_FILE_SYSTEM, where + message, cause);
        }
        if (lower.contains("too many levels of symbolic links")) {
            return new StorageException(Reason.PATH_ESCAPE, where + "is a symlink", cause);
        }
        if (lower.contains("is a directory") || (path != null && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))) {
            return new StorageException(Reason.NOT_A_FILE, where + "is a directory", cause);
        }
        if (cause instanceof AccessDeniedException || lower.contains("permission denied")
                || lower.contains("operation not permitted")) {
            return new StorageException(Reason.PERMISSION_DENIED, where + message, cause);
        }
        if (cause instanceof IOException || cause instanceof FileSystemException) {
            return new StorageException(Reason.IO_ERROR, where + message, cause);
        }
        return new StorageException(Reason.IO_ERROR, where + cause, cause);
    }
}
