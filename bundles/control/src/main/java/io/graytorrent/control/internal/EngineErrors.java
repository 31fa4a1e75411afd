package io.graytorrent.control.internal;

import io.graytorrent.api.TorrentException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/**
 * The engine's refusals as API errors. {@link TorrentException} carries only a message for people,
 * so its kind is read from the engine's wording here, in this one place.
 */
final class EngineErrors {
    private EngineErrors() {
    }

    static ApiException refusal(TorrentException e) {
        String message = e.getMessage() == null ? "refused" : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.startsWith("no torrent ")) {
            return new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", message);
        }
        if (lower.contains("already managed")) {
            return new ApiException(HttpResponseStatus.CONFLICT, "conflict", message);
        }
        if (lower.contains("not supported")) {
            return new ApiException(HttpResponseStatus.NOT_IMPLEMENTED, "not_supported", message);
        }
        if (lower.startsWith("cannot ") || lower.startsWith("interrupted")) {
            return new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", message);
        }
        return ApiException.badRequest("bad_request", message);
    }
}
