package io.graytorrent.core.internal.webseed;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** Why a web seed's range request ended without all its bytes. */
final class FetchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** Connection errors, timeouts, 5xx, a body cut short: try again later. */
        RETRY,
        /** 404 or 410: the seed does not hold this file. */
        MISSING_FILE,
        /** The server broke the protocol (a wrong range or length): it counts against the seed. */
        VIOLATION
    }

    final Kind kind;
    final transient Optional<Duration> retryAfter;
    /** The file of a {@link Kind#MISSING_FILE}, else -1. */
    final int file;

    FetchFailure(Kind kind, String message, Optional<Duration> retryAfter, int file) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.file = file;
    }

    static FetchFailure retry(String message) {
        return new FetchFailure(Kind.RETRY, message, Optional.empty(), -1);
    }

    static FetchFailure violation(String message) {
        return new FetchFailure(Kind.VIOLATION, message, Optional.empty(), -1);
    }

    /** The failure behind what the HTTP client reported: ours if we raised it, else a RETRY saying what happened. */
    static FetchFailure of(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof FetchFailure failure) {
                return failure;
            }
        }
        Throwable root = thrown;
        while (root.getCause() != null && (root.getMessage() == null || root instanceof CompletionException)) {
            root = root.getCause(); // the wrapper says nothing the cause does not
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return retry(what);
    }
}
