package io.graytorrent.control.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.control.internal.auth.Caller;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as a route sees it, detached from Netty's reference-counted buffers so it can cross to
 * a worker thread: the body is a copy, at most the endpoint's request limit.
 *
 * @param parameters the path segments the route's pattern captured, in order
 * @param query      decoded query parameters
 * @param caller     who is asking (never null; {@link Caller#ANONYMOUS} on open routes)
 */
public record ApiRequest(HttpMethod method, String path, List<String> parameters, Map<String, List<String>> query,
        HttpHeaders headers, byte[] body, Caller caller) {
    private static final int MAX_QUERY_VALUE = 4096;

    /** The captured path segment {@code index}. */
    public String parameter(int index) {
        return parameters.get(index);
    }

    /** The single value of query parameter {@code name}, or {@code fallback} when absent. */
    public String query(String name, String fallback) throws ApiException {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        if (values.size() > 1 || values.get(0).length() > MAX_QUERY_VALUE) {
            throw ApiException.badRequest("bad_field", "give " + name + " once, at most " + MAX_QUERY_VALUE + " characters");
        }
        return values.get(0);
    }

    /** A {@code true}/{@code false} query parameter. */
    public boolean flag(String name) throws ApiException {
        return JsonFields.parseFlag(name, query(name, "false"));
    }

    /** The media type of the body, lower case and without parameters; "" when none was given. */
    public String contentType() {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE, "");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body as a JSON object; 415 for another content type, 400 for malformed JSON or another JSON type. */
    public JsonNode jsonObject() throws ApiException {
        if (!contentType().equals("application/json")) {
            throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send Content-Type: application/json");
        }
        try {
            JsonNode node = JsonReply.JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("bad_json", "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("bad_json", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("bad_json", "unreadable JSON: " + e.getMessage());
        }
    }
}
