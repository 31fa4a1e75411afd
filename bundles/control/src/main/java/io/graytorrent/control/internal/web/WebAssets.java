package io.graytorrent.control.internal.web;

import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
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
 * who passes the Host/Origin check: they hold no data, and everything they show comes from the
 * API, which needs a login. A path must be plain names ({@code css/app.css}), so {@code ..},
 * hidden files and anything else never reach the class loader. Every file is served with a CSP
 * that forbids inline script, and with nosniff and no framing.
 */
public final class WebAssets {
    /** Where the UI lives in the bundle. */
    static final String ROOT = "web/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Pattern SAFE_PATH = Pattern.compile("(?:[a-z0-9][a-z0-9_-]*/)?[a-z0-9][a-z0-9_-]*\\.[a-z0-9]{1,5}");
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
    /** Only files that exist are kept, so the cache is bounded by what the bundle ships. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** Serves the files under {@link #ROOT} that {@code loader} sees. */
    public WebAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * The UI's files are at most one folder deep ({@code /}, {@code /favicon.svg}, {@code /js/app.js}),
     * which no API path is ({@code /api/v1/...}): the API's 404 and 405 answers stay its own.
     */
    public void register(Router router) {
        for (String pattern : new String[] {"/", "/{}", "/{}/{}"}) {
            router.add(HttpMethod.GET, pattern, Router.Access.OPEN, this::answer)
                    .add(HttpMethod.HEAD, pattern, Router.Access.OPEN, this::answer);
        }
    }

    /** The file {@code request} names ({@code /} is index.html), or 304 when the browser has it already. */
    Reply answer(ApiRequest request) throws ApiException {
        // a request target like "?x" or "js/app.js" is no absolute path: nothing to serve (found by fuzzing)
        Optional<Asset> found = !request.path().startsWith("/") ? Optional.empty()
                : request.path().equals("/") ? find("index.html") : find(request.path().substring(1));
        Asset asset = found.orElseThrow(() ->
                new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "no such page: " + request.path()));
        FullHttpResponse response;
        if (asset.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        } else {
            // HEAD: the same headers (Content-Length included), no body
            boolean head = HttpMethod.HEAD.equals(request.method());
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.bytes()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, asset.bytes().length);
        }
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ETAG, asset.etag());
        // revalidate every time: file names carry no version, and a 304 costs one round trip
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        return ctx -> ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
