package io.graytorrent.control.internal.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests not addressed to this endpoint, before anything else is looked at: the
 * {@code Host} must name it (loopback names, or the address it is bound to), so that a foreign DNS
 * name rebound to 127.0.0.1 cannot reach it; and a browser's {@code Origin}, when sent, must be this
 * endpoint too, so that another site's page cannot post to it.
 */
public final class HostGuard {
    private final Set<String> allowedHosts = new HashSet<>();
    private final String scheme;

    public HostGuard(InetSocketAddress bound, boolean tls) {
        int port = bound.getPort();
        allowedHosts.addAll(Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port));
        InetAddress address = bound.getAddress();
        if (!address.isAnyLocalAddress()) {
            String host = address.getHostAddress();
            allowedHosts.add((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        }
        scheme = tls ? "https://" : "http://";
    }

    void check(HttpRequest request) throws ApiException {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden_host", "Host header must name this endpoint");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !isOwnOrigin(origin.toLowerCase(Locale.ROOT))) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden_origin", "requests from other origins are refused");
        }
    }

    private boolean isOwnOrigin(String origin) {
        return origin.startsWith(scheme) && allowedHosts.contains(origin.substring(scheme.length()));
    }
}
