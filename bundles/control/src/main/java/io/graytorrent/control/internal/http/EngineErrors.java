package io.graytorrent.control.internal.http;

import io.graytorrent.api.TorrentException;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The engine's refusals as API errors: each {@link TorrentException.Kind} has one status and code. */
final class EngineErrors {
    private EngineErrors() {
    }

    static ApiException refusal(TorrentException e) {
        String message = e.getMessage() == null ? "refused" : e.getMessage();
        return switch (e.kind()) {
            case NOT_FOUND -> new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", message);
            case AMBIGUOUS -> ApiException.badRequest("ambiguous", message);
            case INVALID_INPUT -> ApiException.badRequest("bad_request", message);
            case ALREADY_MANAGED -> new ApiException(HttpResponseStatus.CONFLICT, "conflict", message);
            case NO_METADATA_YET -> new ApiException(HttpResponseStatus.CONFLICT, "no_metadata_yet", message);
            case NOT_SUPPORTED -> new ApiException(HttpResponseStatus.NOT_IMPLEMENTED, "not_supported", message);
            case BUSY -> new ApiException(HttpResponseStatus.CONFLICT, "busy", message);
            case TARGET_EXISTS -> new ApiException(HttpResponseStatus.CONFLICT, "target_exists", message);
            case NO_SPACE -> new ApiException(HttpResponseStatus.INSUFFICIENT_STORAGE, "insufficient_storage", message);
            case FAILED -> new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", message);
        };
    }
}
