package io.graytorrent.control.internal.api;

import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonFields;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code .torrent} the server fetches for an add by URL: http and https only, at most
 * {@code maxRedirects} redirects each to http or https (never from https down to http), at most
 * {@code maxBytes} read, the whole exchange within {@code timeout}. Every failure is an
 * {@link ApiException} saying what went wrong, as 400 (the URL) or 502 (the server behind it).
 */
final class TorrentUrlFetch {
    static final int MAX_URL_LENGTH = 4096;
    static final long MAX_BYTES = 32L << 20;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final long maxBytes;
    private final Duration timeout;

    TorrentUrlFetch() {
        this(MAX_BYTES, TIMEOUT);
    }

    TorrentUrlFetch(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        // redirects followed by hand, so each target's scheme is checked; no proxy, no cookies
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout).build();
    }

    /** The URL as a client gave it, checked: absolute http(s) with a host. */
    static URI parse(String text) throws ApiException {
        if (text == null || text.isEmpty() || text.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest("bad_url", "url must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(text);
            checkScheme(uri, "url");
            return uri;
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("bad_url", "not a URL: " + JsonFields.abbreviate(text) + " (" + e.getReason() + ")");
        }
    }

    private static void checkScheme(URI uri, String what) throws ApiException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest("bad_url", what + " must be http or https, not " + JsonFields.abbreviate(
                    scheme.isEmpty() ? uri.toString() : scheme + ":"));
        }
        if (uri.getHost() == null) {
            throw ApiException.badRequest("bad_url", what + " has no host: " + JsonFields.abbreviate(uri.toString()));
        }
    }

    /** The body of a 200 answer to GET {@code url}. */
    byte[] fetch(URI url) throws ApiException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI target = url;
        for (int redirects = 0; ; redirects++) {
            HttpResponse<InputStream> response = send(target, deadline);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                closeQuietly(response.body());
                if (redirects == MAX_REDIRECTS) {
                    throw failed(url, "more than " + MAX_REDIRECTS + " redirects");
                }
                target = redirect(target, response);
                continue;
            }
            if (status != 200) {
                closeQuietly(response.body());
                throw failed(target, "the server answered HTTP " + status);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) {
                closeQuietly(response.body());
                throw tooLarge(target);
            }
            return read(target, response.body(), deadline);
        }
    }

    private HttpResponse<InputStream> send(URI target, long deadline) throws ApiException {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        HttpRequest request = HttpRequest.newBuilder(target).GET().timeout(left)
                .header("Accept", "application/x-bittorrent, */*;q=0.5").build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw failed(target, "no connection within " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw failed(target, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw failed(target, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_url", "not a URL the server can fetch: " + JsonFields.abbreviate(target.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(target, "interrupted");
        }
    }

    private static URI redirect(URI from, HttpResponse<?> response) throws ApiException {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> failed(from, "a redirect (HTTP " + response.statusCode() + ") without a Location"));
        URI to;
        try {
            to = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw failed(from, "a redirect to a malformed Location: " + JsonFields.abbreviate(location));
        }
        try {
            checkScheme(to, "a redirect");
        } catch (ApiException e) {
            throw failed(from, e.getMessage());
        }
        if (from.getScheme().equalsIgnoreCase("https") && to.getScheme().equalsIgnoreCase("http")) {
            throw failed(from, "a redirect from https down to http: " + JsonFields.abbreviate(to.toString()));
        }
        return to;
    }

    /** Reads at most maxBytes; the stream is closed at the deadline, which ends a read that waits. */
    private byte[] read(URI target, InputStream body, long deadline) throws ApiException {
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> closeQuietly(body),
                CompletableFuture.delayedExecutor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        try (body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            for (int n; (n = body.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    throw tooLarge(target);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw failed(target, "the body did not arrive within " + timeout.toSeconds() + " s");
            }
            throw failed(target, "the body broke off: " + e.getMessage());
        } finally {
            watchdog.cancel(false);
        }
    }

    private ApiException tooLarge(URI target) {
        return new ApiException(HttpResponseStatus.BAD_GATEWAY, "fetch_failed", "fetching "
                + JsonFields.abbreviate(target.toString()) + " failed: larger than " + maxBytes + " bytes");
    }

    private static ApiException failed(URI target, String why) {
        return new ApiException(HttpResponseStatus.BAD_GATEWAY, "fetch_failed",
                "fetching " + JsonFields.abbreviate(target.toString()) + " failed: " + why);
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // closing is all we want of it
        }
    }
}
