package io.graytorrent.tracker.http.internal;

import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerException;
import io.graytorrent.api.util.Completions;
import io.graytorrent.api.util.DualStack;
import io.graytorrent.api.util.NetworkConfiguration;
import io.graytorrent.api.util.NetworkRoute;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
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
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * Announces and scrapes over http(s) with the JDK's HttpClient. Redirects are followed here, not by
 * the client, so their number is bounded and each hop must stay http(s); bodies are read through
 * {@link BoundedBody}.
 *
 * <p>The HttpClient is built on the first request: building one sets up the JDK's TLS context (~70 ms
 * at start-up), and its selector thread, which JDK 17 cannot stop, waits in native code, which makes
 * the JVM's exit wait 0.3 s for it; a run that meets no http tracker should pay for neither.
 *
 * <p>Its settings change live ({@link #modified}): a request uses the settings of when it began.
 *
 * <p>The network route (source address or interface, SOCKS5 proxy) is the peer wire's: this component
 * reads that PID too. While the route binds or proxies tracker requests they go through
 * {@link NettyHttpGet} instead, since JDK 17's HttpClient can do neither; never around the route.
 */
@Component(service = TrackerClient.class, property = {TrackerClient.SCHEMES + "=http", TrackerClient.SCHEMES + "=https"},
        configurationPid = {"io.graytorrent.tracker.http", NetworkConfiguration.PID})
// no @Designate: metatype designates one PID, and this component reads two (its own and the peer wire's)
public final class HttpTrackerClient implements TrackerClient {
    /** One request's settings, replaced whole when the configuration changes. */
    private record Limits(Duration timeout, int maxReplyBytes, int maxRedirects, HttpTrackerReplies replies,
            NetworkRoute route) {
        Limits(Duration timeout, int maxReplyBytes, int maxRedirects, NetworkRoute route) {
            this(timeout, maxReplyBytes, maxRedirects, new HttpTrackerReplies(maxReplyBytes), route);
        }

        static Limits of(HttpTrackerConfiguration config, NetworkRoute route) {
            return new Limits(Duration.ofSeconds(config.timeoutSeconds()), config.maxReplyBytes(), config.maxRedirects(),
                    route);
        }

        /** Whether the JDK's client cannot take this route. */
        boolean needsNetty() {
            return route.bound() || route.proxyFor(NetworkRoute.Use.TRACKER).isPresent();
        }
    }

    /** Built with the connect timeout of its time; guarded by this. */
    private HttpClient http;
    /** Built when a route first needs it; guarded by this. */
    private NettyHttpGet netty;
    private volatile Limits limits;
    private final NettyHttpGet.Resolver resolver;

    @Activate
    public HttpTrackerClient(HttpTrackerConfiguration config, NetworkConfiguration network) {
        this.limits = Limits.of(config, NetworkRoute.of(network));
        this.resolver = NettyHttpGet.Resolver.SYSTEM;
    }

    /** Sending by any interface, without a proxy. */
    public HttpTrackerClient(HttpTrackerConfiguration config) {
        this.limits = Limits.of(config, NetworkRoute.DIRECT);
        this.resolver = NettyHttpGet.Resolver.SYSTEM;
    }

    HttpTrackerClient(Duration timeout, int maxReplyBytes, int maxRedirects) {
        this(timeout, maxReplyBytes, maxRedirects, NetworkRoute.DIRECT);
    }

    HttpTrackerClient(Duration timeout, int maxReplyBytes, int maxRedirects, NetworkRoute route) {
        this(timeout, maxReplyBytes, maxRedirects, route, NettyHttpGet.Resolver.SYSTEM);
    }

    /** With {@code resolver} looking tracker names up, as a test that needs a name of two families does. */
    HttpTrackerClient(Duration timeout, int maxReplyBytes, int maxRedirects, NetworkRoute route,
            NettyHttpGet.Resolver resolver) {
        this.limits = new Limits(timeout, maxReplyBytes, maxRedirects, route);
        this.resolver = resolver;
    }

    @Deactivate
    synchronized void close() {
        if (netty != null) {
            netty.close();
            netty = null;
        }
    }

    private synchronized NettyHttpGet netty() {
        if (netty == null) {
            netty = new NettyHttpGet();
        }
        return netty;
    }

    /** New settings for requests from now on; those under way finish with theirs. */
    @Modified
    void modified(HttpTrackerConfiguration config, NetworkConfiguration network) {
        modified(config, NetworkRoute.of(network));
    }

    /** New limits by the route requests take now. */
    void modified(HttpTrackerConfiguration config) {
        modified(config, limits.route());
    }

    private void modified(HttpTrackerConfiguration config, NetworkRoute route) {
        Limits changed = Limits.of(config, route);
        synchronized (this) {
            if (!changed.timeout().equals(limits.timeout())) {
                http = null; // the next request builds a client with the new connect timeout
            }
            limits = changed;
        }
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(limits.timeout())
                    .build();
        }
        return http;
    }

    /**
     * BEP 7: a tracker whose name has addresses of both families, each reachable by our route, is
     * announced to once per family (each from our address of that family) and the replies merged
     * ({@link DualStack}); a failure of one family is a warning in the merged reply. Otherwise, or
     * through a proxy (whose address the tracker sees anyway), one announce.
     */
    @Override
    public CompletableFuture<AnnounceResponse> announce(AnnounceRequest request) {
        Limits now = limits;
        URI url = TrackerQuery.announce(request);
        String host = url.getHost();
        if (host == null || host.startsWith("[") || now.route().proxyFor(NetworkRoute.Use.TRACKER).isPresent()) {
            return announce(url, now, Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return DualStack.targets(resolver.resolve(host), address -> DualStack.reachable(address, now.route()));
            } catch (IOException e) {
                return List.<InetAddress>of(); // the single announce reports it
            }
        }).thenCompose(targets -> {
            if (targets.size() < 2) {
                return announce(url, now, Optional.empty());
            }
            return DualStack.announceEach(targets,
                    target -> announce(url, now, Optional.<Class<? extends InetAddress>>of(target.getClass())));
        });
    }

    private CompletableFuture<AnnounceResponse> announce(URI url, Limits now, Optional<Class<? extends InetAddress>> family) {
        return getWithin(url, now, family).thenApply(body -> {
            try {
                return now.replies().announce(body);
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
        Limits now = limits;
        return getWithin(url.get(), now, Optional.empty()).thenApply(body -> {
            try {
                return now.replies().scrape(body, infoHash);
            } catch (TrackerException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * {@link #get} bounded in time as a whole: the request timeout covers only the wait for headers,
     * and a tracker could trickle its body forever.
     */
    private CompletableFuture<byte[]> getWithin(URI url, Limits limits, Optional<Class<? extends InetAddress>> family) {
        CompletableFuture<byte[]> body = get(url, limits.maxRedirects(), limits, family);
        CompletableFuture.delayedExecutor(limits.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> body.completeExceptionally(tooSlow(url, limits)));
        return body;
    }

    private static TrackerException tooSlow(URI url, Limits limits) {
        return new TrackerException("no whole reply from " + url.getHost() + " within " + limits.timeout().toMillis() + " ms");
    }

    /** The body of a 200 reply to GET {@code url}, following at most {@code redirectsLeft} redirects. */
    private CompletableFuture<byte[]> get(URI url, int redirectsLeft, Limits limits,
            Optional<Class<? extends InetAddress>> family) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return CompletableFuture.failedFuture(new TrackerException("not an http(s) URL: " + url));
        }
        CompletableFuture<NettyHttpGet.Reply> reply = limits.needsNetty() || family.isPresent()
                ? netty().get(url, limits.route(), limits.timeout(), limits.maxReplyBytes(), resolver, family)
                : jdkGet(url, limits);
        return reply.handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = Completions.cause(failure);
                        // the wait for headers timing out is the same fault as the whole reply timing out,
                        // whichever of the two timers fires first
                        boolean slow = cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException);
                        return CompletableFuture.<byte[]>failedFuture(cause instanceof BoundedBody.TooLarge
                                || cause instanceof NetworkRoute.RouteDownException
                                ? new TrackerException(cause.getMessage(), cause)
                                : slow ? tooSlow(url, limits)
                                : new TrackerException("cannot reach " + url.getHost() + via(limits) + ": "
                                        + describe(cause), cause));
                    }
                    return follow(url, response, redirectsLeft, limits, family);
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<NettyHttpGet.Reply> jdkGet(URI url, Limits limits) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(limits.timeout()).header("Accept-Encoding", "identity")
                .GET().build();
        return http().sendAsync(request, info -> info.statusCode() == 200 ? new BoundedBody(limits.maxReplyBytes())
                        : HttpResponse.BodySubscribers.replacing(new byte[0]))
                .thenApply(response -> new NettyHttpGet.Reply(response.statusCode(),
                        response.headers().firstValue("Location"), response.body()));
    }

    private static String via(Limits limits) {
        return limits.route().proxyFor(NetworkRoute.Use.TRACKER)
                .map(p -> " through the SOCKS5 proxy " + p.getHostString() + ":" + p.getPort()).orElse("");
    }

    private CompletableFuture<byte[]> follow(URI url, NettyHttpGet.Reply response, int redirectsLeft, Limits limits,
            Optional<Class<? extends InetAddress>> family) {
        int status = response.status();
        if (status == 200) {
            return CompletableFuture.completedFuture(response.body());
        }
        Optional<String> location = response.location();
        if (status >= 300 && status < 400 && location.isPresent()) {
            if (redirectsLeft == 0) {
                return CompletableFuture.failedFuture(new TrackerException("more than " + limits.maxRedirects() + " redirects from " + url));
            }
            try {
                return get(url.resolve(location.get()), redirectsLeft - 1, limits, family);
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
