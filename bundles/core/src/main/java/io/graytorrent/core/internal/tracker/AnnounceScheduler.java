package io.graytorrent.core.internal.tracker;

import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Completions;
import io.graytorrent.core.internal.concurrent.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * When and to which tracker one torrent announces. BEP 12: the URLs of each tier are shuffled once,
 * a round walks the tiers in order and stops at the first tracker that answers, and that tracker
 * moves to the front of its tier. The next round waits the tracker's interval (never less than its
 * min interval); a round where every tracker failed is retried after a back-off doubling from
 * {@link #FIRST_RETRY} to {@link #LAST_RETRY}. {@code started} goes to each tracker before its first
 * regular announce, {@code completed} once when the download completes, {@code stopped} to every
 * tracker that was started when the torrent stops. Only the torrent's own trackers are used, as
 * BEP 27 requires of private torrents.
 *
 * <p>Confined to the torrent's executor; {@link #statuses()} may be read from any thread.
 */
public final class AnnounceScheduler {
    static final Duration FIRST_RETRY = Duration.ofSeconds(15);
    static final Duration LAST_RETRY = Duration.ofMinutes(30);
    private static final int NUM_WANT = 50;
    /** Longest a restart waits for the stopped announces of the stop before it. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /** What the torrent reports in each announce, read on its executor. */
    public record Progress(long uploaded, long downloaded, long left) {
    }

    /** Who we are to trackers: peer id and listening port. */
    public record Identity(byte[] peerId, int port) {
    }

    private final InfoHash infoHash;
    /** A hybrid's other swarm (its truncated v2 infohash): told every announce too, its peers taken. */
    private volatile List<InfoHash> alsoAs = List.of();
    private final TrackerClients clients;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Supplier<Progress> progress;
    private final Supplier<Identity> identity;
    private final Consumer<List<InetSocketAddress>> peers;
    /** Where a tracker's {@code external ip}, our address as it sees us, goes. */
    private final Consumer<InetAddress> seenAs;
    private final List<List<Tracker>> tiers = new ArrayList<>();
    private final int key = ThreadLocalRandom.current().nextInt();
    private boolean running;
    private boolean announcing;
    /** An event arrived while a round was under way: run another round right after it. */
    private boolean again;
    private boolean completedPending;
    private boolean completedSent;
    private int failedRounds;
    private ScheduledFuture<?> nextRound;
    /** The stopped announces of the last stop; a restart waits for them so a tracker cannot see started first. */
    private CompletableFuture<Void> stopping = CompletableFuture.completedFuture(null);
    private volatile List<TrackerStatus> statuses = List.of();

    /** One tracker URL and what we know of it. */
    private static final class Tracker {
        final String url;
        final int tier;
        String status = "idle";
        Instant lastAnnounce;
        Instant nextAnnounce;
        Instant notBefore = Instant.MIN;
        OptionalInt seeders = OptionalInt.empty();
        OptionalInt leechers = OptionalInt.empty();
        String lastError;
        Optional<String> trackerId = Optional.empty();
        boolean started;
        /** The last try found no client for the URL's scheme. */
        boolean missingClient;

        Tracker(String url, int tier) {
            this.url = url;
            this.tier = tier;
        }

        TrackerStatus status() {
            return new TrackerStatus(url, tier, status, Optional.ofNullable(lastAnnounce), Optional.ofNullable(nextAnnounce),
                    seeders, leechers, Optional.ofNullable(lastError));
        }
    }

    public AnnounceScheduler(InfoHash infoHash, List<List<String>> trackerTiers, TrackerClients clients, Executor executor,
            ScheduledExecutorService timer, Clock clock, Supplier<Progress> progress, Supplier<Identity> identity,
            Consumer<List<InetSocketAddress>> peers, Consumer<InetAddress> seenAs) {
        this.infoHash = infoHash;
        this.clients = clients;
        this.executor = executor;
        this.timer = timer;
        this.clock = clock;
        this.progress = progress;
        this.identity = identity;
        this.peers = peers;
        this.seenAs = seenAs;
        for (List<String> urls : trackerTiers) {
            List<Tracker> tier = new ArrayList<>();
            urls.stream().distinct().forEach(url -> tier.add(new Tracker(url, tiers.size())));
            Collections.shuffle(tier);
            tiers.add(tier);
        }
        publish();
    }

    /** The torrent started: announce {@code started} now. */
    public void start() {
        if (!running) {
            running = true;
            failedRounds = 0;
            stopping.whenComplete((done, failure) -> executor.execute(() -> {
                if (running) {
                    round();
                }
            }));
        }
    }

    /** The download completed: tell the tracker, once. */
    public void completed() {
        if (running && !completedSent) {
            completedPending = true;
            round();
        }
    }

    /**
     * The torrent stopped: {@code stopped} to every started tracker; completes when they all answered
     * or failed, or after {@link #STOP_WAIT}.
     */
    public CompletableFuture<Void> stop() {
        if (!running) {
            return CompletableFuture.completedFuture(null);
        }
        running = false;
        if (nextRound != null) {
            nextRound.cancel(false);
        }
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (Tracker tracker : all()) {
            tracker.nextAnnounce = null;
            if (tracker.started) {
                tracker.started = false;
                stops.add(send(tracker, AnnounceEvent.STOPPED).handle((reply, failure) -> null));
            } else {
                tracker.status = "idle";
            }
        }
        publish();
        stopping = CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return stopping;
    }

    /** What each tracker is doing; one whose scheme has no client right now says so, whatever it did last. */
    public List<TrackerStatus> statuses() {
        return statuses.stream().map(status -> {
            String scheme = scheme(status.url());
            return clients.forScheme(scheme).isPresent() ? status : new TrackerStatus(status.url(), status.tier(),
                    noClient(scheme), status.lastAnnounce(), status.nextAnnounce(), status.seeders(), status.leechers(),
                    status.lastError());
        }).toList();
    }

    /** A tracker client arrived: a tracker that had none may be reachable now, so do not wait for the back-off. */
    public void clientArrived() {
        if (running && all().stream().anyMatch(tracker -> tracker.missingClient)) {
            round();
        }
    }

    private static String noClient(String scheme) {
        return "no client for scheme " + scheme;
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':');
        return colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private List<Tracker> all() {
        return tiers.stream().flatMap(List::stream).toList();
    }

    /** One BEP 12 round: the first tracker, in tier order, that answers. */
    private void round() {
        if (announcing) {
            again = true;
            return;
        }
        if (nextRound != null) {
            nextRound.cancel(false);
        }
        announcing = true;
        again = false;
        tryFrom(all(), 0);
    }

    private void tryFrom(List<Tracker> order, int index) {
        if (!running) {
            announcing = false;
            return;
        }
        if (index == order.size()) {
            roundFailed(order);
            return;
        }
        Tracker tracker = order.get(index);
        AnnounceEvent event = !tracker.started ? AnnounceEvent.STARTED
                : completedPending ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE;
        Instant now = now();
        if (event == AnnounceEvent.NONE && now.isBefore(tracker.notBefore)) {
            schedule(Duration.between(now, tracker.notBefore));
            announcing = false;
            return; // its min interval has not passed: wait for it rather than fall to a backup
        }
        send(tracker, event).whenComplete((reply, failure) -> executor.execute(() -> {
            if (failure == null) {
                answered(tracker, event, reply);
            } else {
                tryFrom(order, index + 1);
            }
        }));
    }

    /**
     * Announces under {@code others} too (a hybrid torrent joins its v2 swarm): each announce to a tracker is
     * repeated for them, and the peers they get are taken; the tracker's status and schedule follow the main hash.
     */
    public void alsoAnnounceAs(List<InfoHash> others) {
        alsoAs = List.copyOf(others);
    }

    /** Announces {@code event} to one tracker; on the executor, records the outcome in its status. */
    private CompletableFuture<AnnounceResponse> send(Tracker tracker, AnnounceEvent event) {
        URI url;
        try {
            url = URI.create(tracker.url);
        } catch (IllegalArgumentException e) {
            return failed(tracker, "not a URL: " + e.getMessage());
        }
        String scheme = scheme(tracker.url);
        Optional<TrackerClient> client = clients.forScheme(scheme);
        tracker.missingClient = client.isEmpty();
        if (client.isEmpty()) {
            tracker.status = noClient(scheme);
            publish();
            return CompletableFuture.failedFuture(new IllegalStateException(tracker.status));
        }
        Progress now = progress.get();
        Identity us = identity.get();
        AnnounceRequest request = new AnnounceRequest(url, infoHash, us.peerId(), us.port(), now.uploaded(),
                now.downloaded(), now.left(), event, event == AnnounceEvent.STOPPED ? 0 : NUM_WANT, key, tracker.trackerId);
        tracker.status = event == AnnounceEvent.STOPPED ? "stopping" : "announcing";
        tracker.lastAnnounce = now();
        publish();
        CompletableFuture<AnnounceResponse> reply = announce(client.get(), request);
        for (InfoHash other : alsoAs) {
            announce(client.get(), new AnnounceRequest(url, other, us.peerId(), us.port(), now.uploaded(),
                    now.downloaded(), now.left(), event, request.numWant(), key, Optional.empty()))
                    .thenAccept(answer -> executor.execute(() -> {
                        if (running && !answer.peers().isEmpty()) {
                            peers.accept(answer.peers());
                        }
                    }));
        }
        return reply.whenComplete((answer, failure) -> executor.execute(() -> {
            if (failure != null) {
                Throwable cause = Completions.cause(failure);
                tracker.status = "failed";
                tracker.lastError = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            } else {
                tracker.status = event == AnnounceEvent.STOPPED ? "stopped"
                        : answer.warning().map(warning -> "working, warning: " + warning).orElse("working");
                tracker.seeders = answer.seeders();
                tracker.leechers = answer.leechers();
                answer.trackerId().ifPresent(id -> tracker.trackerId = Optional.of(id));
            }
            publish();
        }));
    }

    private static CompletableFuture<AnnounceResponse> announce(TrackerClient client, AnnounceRequest request) {
        try {
            return client.announce(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // a plugin's bug is that tracker's failure, nothing more
        }
    }

    private CompletableFuture<AnnounceResponse> failed(Tracker tracker, String reason) {
        tracker.status = "failed";
        tracker.lastError = reason;
        publish();
        return CompletableFuture.failedFuture(new IllegalArgumentException(reason));
    }

    private void answered(Tracker tracker, AnnounceEvent event, AnnounceResponse reply) {
        announcing = false;
        if (!running) {
            if (event == AnnounceEvent.STARTED) {
                send(tracker, AnnounceEvent.STOPPED); // it heard started after we stopped: take it back
            }
            return;
        }
        failedRounds = 0;
        List<Tracker> tier = tiers.get(tracker.tier);
        tier.remove(tracker);
        tier.add(0, tracker);
        tracker.started = true;
        if (event == AnnounceEvent.COMPLETED || (event == AnnounceEvent.STARTED && completedPending)) {
            completedPending = false;
            completedSent = true;
        }
        Duration wait = reply.minInterval().filter(min -> min.compareTo(reply.interval()) > 0).orElse(reply.interval());
        Instant now = now();
        tracker.notBefore = now.plus(reply.minInterval().orElse(Duration.ZERO));
        tracker.nextAnnounce = now.plus(wait);
        publish();
        reply.externalIp().ifPresent(seenAs);
        if (!reply.peers().isEmpty()) {
            peers.accept(reply.peers());
        }
        if (again || completedPending) {
            round();
        } else {
            schedule(wait);
        }
    }

    private void roundFailed(List<Tracker> order) {
        announcing = false;
        if (again) {
            round(); // a client arrived (or the torrent completed) while this round was failing: try at once
            return;
        }
        Duration retry = FIRST_RETRY.multipliedBy(1L << Math.min(failedRounds++, 10));
        if (retry.compareTo(LAST_RETRY) > 0) {
            retry = LAST_RETRY;
        }
        Instant at = now().plus(retry);
        order.forEach(tracker -> tracker.nextAnnounce = at);
        publish();
        schedule(retry);
    }

    private void schedule(Duration wait) {
        if (nextRound != null) {
            nextRound.cancel(false);
        }
        nextRound = timer.schedule(() -> executor.execute(() -> {
            if (running) {
                round();
            }
        }), Math.max(wait.toMillis(), 0), TimeUnit.MILLISECONDS);
    }

    /** The injected clock's time, as the instants users see in tracker statuses. */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private void publish() {
        statuses = all().stream().map(Tracker::status).toList();
    }
}
