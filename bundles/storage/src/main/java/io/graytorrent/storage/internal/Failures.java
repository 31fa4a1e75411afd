package io.graytorrent.storage.internal;

import io.graytorrent.api.util.Completions;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/** Turns what the JDK throws into a {@link StorageException} with a reason a user can act on. */
final class Failures {
    private Failures() {
    }

    static StorageException classify(Throwable failure) {
        Throwable cause = Completions.cause(failure);
        if (cause instanceof StorageException storage) {
            return storage;
        }
        String message = String.valueOf(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota")) {
            return new StorageException(Reason.DISK_FULL, message, cause);
        }
        if (lower.contains("read-only file system")) {
            return new StorageException(Reason.READ_ONLY_FILE_SYSTEM, message, cause);
        }
        if (lower.contains("too many levels of symbolic links")) {
            return new StorageException(Reason.PATH_ESCAPE, message, cause);
        }
        if (lower.contains("is a directory")) {
            return new StorageException(Reason.NOT_A_FILE, message, cause);
        }
        if (cause instanceof AccessDeniedException || lower.contains("permission denied")
                || lower.contains("operation not permitted")) {
            return new StorageException(Reason.PERMISSION_DENIED, message, cause);
        }
        // anything else, a bug included, still reaches the engine as our type, never as a raw exception
        return new StorageException(Reason.IO_ERROR, cause instanceof IOException ? message : String.valueOf(cause), cause);
    }
}
