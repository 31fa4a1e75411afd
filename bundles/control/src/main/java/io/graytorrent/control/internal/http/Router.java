package io.graytorrent.control.internal.http;

import io.graytorrent.api.TorrentException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps a method and path to a {@link Route} and who may call it. Patterns are '/'-separated:
 * {@code {}} matches one segment (handed to the route in order), a final {@code *} matches whatever
 * remains (for static files). The first entry whose pattern matches wins.
 */
public final class Router {
    /** Who may call a route. */
    public enum Access {
        /** Anyone who passes the Host/Origin check: login, static assets. */
        OPEN,
        /** Programs with the Bearer token only: the command line channel. */
        TOKEN,
        /** The Bearer token or a login session cookie (with CSRF token for changes). */
        SIGNED_IN
    }

    /**
     * Handles one matched request; runs on a worker thread, never on the event loop. The engine's
     * refusals ({@link TorrentException}) become API errors in one place, {@link EngineErrors}.
     */
    @FunctionalInterface
    public interface Route {
        Reply handle(ApiRequest request) throws ApiException, TorrentException;
    }

    public record Match(Access access, Route route, List<String> parameters) {
    }

    private record Entry(HttpMethod method, String[] pattern, Access access, Route route) {
    }

    private static final String ANY_SEGMENT = "{}";
    private static final String REST = "*";

    private final List<Entry> entries = new ArrayList<>();

    public Router add(HttpMethod method, String pattern, Access access, Route route) {
        entries.add(new Entry(method, segments(pattern), access, route));
        return this;
    }

    /** The route for {@code method} on {@code path}; 404 when no pattern matches, 405 (with Allow) when no method does. */
    public Match match(HttpMethod method, String path) throws ApiException {
        String[] segments = segments(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            List<String> parameters = parameters(entry.pattern, segments);
            if (parameters != null) {
                if (entry.method.equals(method)) {
                    return new Match(entry.access, entry.route, parameters);
                }
                allowed.add(entry.method.name());
            }
        }
        if (allowed.isEmpty()) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path);
        }
        throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                method + " is not allowed here", Map.of(HttpHeaderNames.ALLOW.toString(), String.join(", ", allowed)));
    }

    /** The segments {@code {}} and {@code *} matched, or null when {@code pattern} does not match. */
    private static List<String> parameters(String[] pattern, String[] segments) {
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(REST) && i == pattern.length - 1) {
                parameters.add(Arrays.stream(segments, Math.min(i, segments.length), segments.length)
                        .collect(Collectors.joining("/")));
                return parameters;
            }
            if (i >= segments.length) {
                return null;
            }
            if (pattern[i].equals(ANY_SEGMENT)) {
                parameters.add(segments[i]);
            } else if (!pattern[i].equals(segments[i])) {
                return null;
            }
        }
        return pattern.length == segments.length ? parameters : null;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
