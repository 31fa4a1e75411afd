package io.graytorrent.control.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Decides whether a request may reach a command: it must carry the secret token, and its
 * {@code Host} (and {@code Origin}, when a browser sends one) must name this loopback endpoint, so
 * that a web page elsewhere cannot reach it by DNS rebinding or cross-site requests.
 */
final class RequestGuard {
    private final byte[] expectedAuthorization;
    private final Set<String> allowedHosts;

    RequestGuard(String token, int port) {
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    /** The reason to refuse {@code request}, or {@code null} when it may pass. */
    Refusal check(HttpRequest request) {
        Refusal foreign = checkOrigin(request);
        if (foreign != null) {
            return foreign;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        // constant-time comparison: the token must not leak through response timing
        if (authorization == null
                || !MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
            return new Refusal(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    "missing or wrong token (see GRAY_HOME/control.token)");
        }
        return null;
    }

    /** The reason to refuse a request that does not come to this endpoint by its own name, or {@code null}. */
    Refusal checkOrigin(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !allowedHosts.contains(host.toLowerCase())) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, "forbidden_host", "Host header must name this loopback endpoint");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowedHosts.contains(stripScheme(origin.toLowerCase()))) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, "forbidden_origin", "requests from other origins are refused");
        }
        return null;
    }

    private static String stripScheme(String origin) {
        return origin.startsWith("http://") ? origin.substring("http://".length()) : origin;
    }

    record Refusal(HttpResponseStatus status, String code, String message) {
    }
}
