package io.graytorrent.control.internal.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * A request the endpoint refuses: the HTTP status, a stable machine-readable code and a message for
 * people, answered as {@code {"error":{"code":..,"message":..}}}; {@code headers} adds e.g. Retry-After.
 */
public final class ApiException extends Exception {
    private final HttpResponseStatus status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(HttpResponseStatus status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(HttpResponseStatus status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
    }

    public HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    public JsonReply reply() {
        return JsonReply.error(status, code, getMessage()).withHeaders(headers);
    }
}
