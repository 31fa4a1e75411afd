package io.graytorrent.api.util;

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
 * A {@code .torrent} fetched for an add by URL ({@code POST /api/v1/torrents {"url":…}}, {@code gray add URL}):
 * http and https only, at most {@link #MAX_REDIRECTS} redirects each to http or https (never from https
 * down to http), at most {@code maxBytes} read, the whole exchange within {@code timeout}. Every failure is
 * a {@link FetchException} saying what went wrong, the URL's fault or the server's behind it.
 */
public final class TorrentUrlFetch {
    /** Why a fetch failed: {@link #badUrl()} when the URL itself is not one to fetch, else the server behind it. */
    public static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean badUrl;

        FetchException(boolean badUrl, String message) {
            super(message);
            this.badUrl = badUrl;
        }

        public boolean badUrl() {
            return badUrl;
        }
    }


    public static final int MAX_URL_LENGTH = 4096;
    public static final long MAX_BYTES = 32L << 20;
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_REDIRECTS = 5;

    private final long maxBytes;
    private final Duration timeout;
    /**
     * Built on the first fetch: building one sets up the JDK's TLS context (~660 classes, 0.1-0.2 s of every
     * start of the control endpoint, which most runs never use) and starts a selector thread whose
     * {@code epoll_wait} holds up the JVM's exit by up to 0.3 s.
     */
    private HttpClient client;

    public TorrentUrlFetch() {
        this(MAX_BYTES, TIMEOUT);
    }

    public TorrentUrlFetch(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            // redirects followed by hand, so each target's scheme is checked; no proxy, no cookies
            client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        }
        return client;
    }

    /** The URL as a client gave it, checked: absolute http(s) with a host. */
    public static URI parse(String text) throws FetchException {
        if (text == null || text.isEmpty() || text.length() > MAX_URL_LENGTH) {
            throw new FetchException(true, "url must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(text);
            checkScheme(uri, "url");
            return uri;
        } catch (URISyntaxException e) {
            throw new FetchException(true, "not a URL: " + abbreviate(text) + " (" + e.getReason() + ")");
        }
    }

    private static void checkScheme(URI uri, String what) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(true, what + " must be http or https, not " + abbreviate(
                    scheme.isEmpty() ? uri.toString() : scheme + ":"));
        }
        if (uri.getHost() == null) {
            throw new FetchException(true, what + " has no host: " + abbreviate(uri.toString()));
        }
    }

    /** The body of a 200 answer to GET {@code url}. */
    public byte[] fetch(URI url) throws FetchException {
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

    private HttpResponse<InputStream> send(URI target, long deadline) throws FetchException {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        HttpRequest request = HttpRequest.newBuilder(target).GET().timeout(left)
                .header("Accept", "application/x-bittorrent, */*;q=0.5").build();
        try {
            return client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw failed(target, "no connection within " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw failed(target, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw failed(target, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new FetchException(true, "not a URL the server can fetch: " + abbreviate(target.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(target, "interrupted");
        }
    }

    private static URI redirect(URI from, HttpResponse<?> response) throws FetchException {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> failed(from, "a redirect (HTTP " + response.statusCode() + ") without a Location"));
        URI to;
        try {
            to = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw failed(from, "a redirect to a malformed Location: " + abbreviate(location));
        }
        try {
            checkScheme(to, "a redirect");
        } catch (FetchException e) {
            throw failed(from, e.getMessage());
        }
        if (from.getScheme().equalsIgnoreCase("https") && to.getScheme().equalsIgnoreCase("http")) {
            throw failed(from, "a redirect from https down to http: " + abbreviate(to.toString()));
        }
        return to;
    }

    /** Reads at most maxBytes; the stream is closed at the deadline, which ends a read that waits. */
    private byte[] read(URI target, InputStream body, long deadline) throws FetchException {
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

    private FetchException tooLarge(URI target) {
        return new FetchException(false, "fetching "
                + abbreviate(target.toString()) + " failed: larger than " + maxBytes + " bytes");
    }

    private static FetchException failed(URI target, String why) {
        return new FetchException(false,
                "fetching " + abbreviate(target.toString()) + " failed: " + why);
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // closing is all we want of it
        }
    }

    /** At most 64 characters of {@code text}, for a message. */
    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
