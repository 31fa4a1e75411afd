package io.graytorrent.control.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI's static files, read from this bundle's {@code web/} resources and served to anyone
 * who may reach the endpoint: they hold no data, and everything they show comes from the API,
 * which needs a login. A path must be plain names ({@code css/app.css}), so {@code ..}, encoded
 * characters and hidden files never reach the class loader. Every answer forbids inline script,
 * framing and MIME sniffing.
 */
final class WebAssets {
    /** Where the UI lives in the bundle. */
    static final String ROOT = "web/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Pattern SAFE_PATH = Pattern.compile("(?:[a-z0-9][a-z0-9_-]*/){0,3}[a-z0-9][a-z0-9_-]*\\.[a-z0-9]{1,5}");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader loader;
    private final boolean enabled;
    /** Only files that exist are kept, so the cache is bounded by what the bundle ships. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** Serves {@code loader}'s {@code web/} files, or, when not {@code enabled}, says the UI is off. */
    WebAssets(ClassLoader loader, boolean enabled) {
        this.loader = loader;
        this.enabled = enabled;
    }

    /** Whether {@code request} asks for a page rather than the API. */
    static boolean isAssetRequest(HttpRequest request) {
        return !request.uri().startsWith("/api/");
    }

    /** The answer to a request for a static file: the file, 304, 404 or 405. */
    FullHttpResponse answer(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            return withSecurityHeaders(ControlHandler.errorResponse(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", request.method() + " is not allowed here"));
        }
        if (!enabled) {
            return withSecurityHeaders(ControlHandler.errorResponse(HttpResponseStatus.NOT_FOUND, "web_ui_off",
                    "the web UI is turned off (webUi=false in the io.graytorrent.control configuration)"));
        }
        String path = request.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Optional<Asset> asset = find(path.equals("/") ? "index.html" : path.substring(1));
        if (asset.isEmpty()) {
            return withSecurityHeaders(ControlHandler.errorResponse(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no such page: " + path));
        }
        FullHttpResponse response;
        if (asset.get().etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        } else {
            boolean head = HttpMethod.HEAD.equals(request.method());
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.get().bytes()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.get().contentType());
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.ETAG, asset.get().etag());
        // revalidate every time: file names carry no version, and a 304 costs one round trip on loopback
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return withSecurityHeaders(response);
    }

    private Optional<Asset> find(String path) {
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        String contentType = CONTENT_TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        if (contentType == null) {
            return Optional.empty();
        }
        Asset cached = cache.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            Asset asset = new Asset(bytes, contentType, etag(bytes));
            cache.put(path, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web UI's " + path, e);
        }
    }

    private static FullHttpResponse withSecurityHeaders(FullHttpResponse response) {
        HttpHeaders headers = response.headers();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        return response;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
