package io.graytorrent.tracker.http.internal;

import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerException;
import io.graytorrent.api.util.Completions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Announces and scrapes over http(s) with the JDK's HttpClient. Redirects are followed here, not by
 * the client, so their number is bounded and each hop must stay http(s); bodies are read through
 * {@link BoundedBody}.
 *
 * <p>The HttpClient is built on the first request: building one sets up the JDK's TLS context (~70 ms
 * at start-up), and its selector thread, which JDK 17 cannot stop, waits in native code, which makes
 * the JVM's exit wait 0.3 s for it; a run that meets no http tracker should pay for neither.
 */
@Component(service = TrackerClient.class, property = {TrackerClient.SCHEMES + "=http", TrackerClient.SCHEMES + "=https"},
        configurationPid = "io.graytorrent.tracker.http")
@Designate(ocd = HttpTrackerConfiguration.class)
public final class HttpTrackerClient implements TrackerClient {
    private HttpClient http;
    private final Duration timeout;
    private final int maxReplyBytes;
    private final int maxRedirects;
    private final HttpTrackerReplies replies;

    @Activate
    public HttpTrackerClient(HttpTrackerConfiguration config) {
        this(Duration.ofSeconds(config.timeoutSeconds()), config.maxReplyBytes(), config.maxRedirects());
    }

    HttpTrackerClient(Duration timeout, int maxReplyBytes, int maxRedirects) {
        this.timeout = timeout;
        this.maxReplyBytes = maxReplyBytes;
        this.maxRedirects = maxRedirects;
        this.replies = new HttpTrackerReplies(maxReplyBytes);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        }
        return http;
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(AnnounceRequest request) {
        return getWithin(TrackerQuery.announce(request)).thenApply(body -> {
            try {
                return replies.announce(body);
            } catch (TrackerException e) {
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public CompletableFuture<ScrapeResponse> scrape(URI tracker, InfoHash infoHash) {
        Optional<URI> url = TrackerQuery.scrape(tracker, infoHash);
        if (url.isEmpty()) {
            return CompletableFuture.failedFuture(new TrackerException("no scrape URL: the path of " + tracker
                    + " does not end in announce"));
        }
        return getWithin(url.get()).thenApply(body -> {
            try {
                return replies.scrape(body, infoHash);
            } catch (TrackerException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * {@link #get} bounded in time as a whole: the request timeout covers only the wait for headers,
     * and a tracker could trickle its body forever.
     */
    private CompletableFuture<byte[]> getWithin(URI url) {
        CompletableFuture<byte[]> body = get(url, maxRedirects);
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> body.completeExceptionally(tooSlow(url)));
        return body;
    }

    private TrackerException tooSlow(URI url) {
        return new TrackerException("no whole reply from " + url.getHost() + " within " + timeout.toMillis() + " ms");
    }

    /** The body of a 200 reply to GET {@code url}, following at most {@code redirectsLeft} redirects. */
    private CompletableFuture<byte[]> get(URI url, int redirectsLeft) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return CompletableFuture.failedFuture(new TrackerException("not an http(s) URL: " + url));
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept-Encoding", "identity").GET().build();
        return http().sendAsync(request, info -> info.statusCode() == 200 ? new BoundedBody(maxReplyBytes)
                        : HttpResponse.BodySubscribers.replacing(new byte[0]))
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = Completions.cause(failure);
                        // the wait for headers timing out is the same fault as the whole reply timing out,
                        // whichever of the two timers fires first
                        boolean slow = cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException);
                        return CompletableFuture.<byte[]>failedFuture(cause instanceof BoundedBody.TooLarge
                                ? new TrackerException(cause.getMessage(), cause)
                                : slow ? tooSlow(url)
                                : new TrackerException("cannot reach " + url.getHost() + ": " + describe(cause), cause));
                    }
                    return follow(url, response, redirectsLeft);
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<byte[]> follow(URI url, HttpResponse<byte[]> response, int redirectsLeft) {
        int status = response.statusCode();
        if (status == 200) {
            return CompletableFuture.completedFuture(response.body());
        }
        Optional<String> location = response.headers().firstValue("Location");
        if (status >= 300 && status < 400 && location.isPresent()) {
            if (redirectsLeft == 0) {
                return CompletableFuture.failedFuture(new TrackerException("more than " + maxRedirects + " redirects from " + url));
            }
            try {
                return get(url.resolve(location.get()), redirectsLeft - 1);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new TrackerException("bad redirect from " + url + ": " + location.get()));
            }
        }
        return CompletableFuture.failedFuture(new TrackerException("HTTP " + status + " from " + url.getHost()));
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
