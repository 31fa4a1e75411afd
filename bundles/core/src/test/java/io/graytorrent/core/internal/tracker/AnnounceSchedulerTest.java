package io.graytorrent.core.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerException;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.core.internal.concurrent.FakeClock;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler with tracker clients that answer from a script, on a real executor and timer. */
@Unit
class AnnounceSchedulerTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6881);
    private static final InetAddress OUR_EXTERNAL_IP = InetAddress.getLoopbackAddress();

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    {
        timer.setRemoveOnCancelPolicy(true); // a cancelled round leaves the queue: its emptiness says nothing is due
    }
    /** Stands still unless a test moves it: the times in the statuses are exact. */
    private final FakeClock clock = new FakeClock();
    private final TrackerClients clients = new TrackerClients();
    private final List<AnnounceRequest> requests = new CopyOnWriteArrayList<>();
    private final List<List<InetSocketAddress>> peersGiven = new CopyOnWriteArrayList<>();
    private final List<InetAddress> seenAs = new CopyOnWriteArrayList<>();
    private volatile long left = 1000;

    @AfterEach
    void stop() {
        executor.shutdownNow();
        timer.shutdownNow();
    }

    /** An http client where the hosts in {@code failing} fail and the others answer with {@code interval}. */
    private TrackerClient http(Set<String> failing, Duration interval) {
        return request -> {
            requests.add(request);
            if (failing.contains(request.tracker().getHost())) {
                return CompletableFuture.failedFuture(new TrackerException("down: " + request.tracker().getHost()));
            }
            Optional<String> warning = request.tracker().getHost().equals("w") ? Optional.of("slow down") : Optional.empty();
            return CompletableFuture.completedFuture(new AnnounceResponse(interval, Optional.empty(), List.of(PEER),
                    OptionalInt.of(4), OptionalInt.of(2), warning, Optional.of("tid"), Optional.of(OUR_EXTERNAL_IP)));
        };
    }

    private AnnounceScheduler scheduler(List<List<String>> tiers) {
        return new AnnounceScheduler(HASH, tiers, clients, executor, timer, clock,
                () -> new AnnounceScheduler.Progress(10, 20, left),
                () -> new AnnounceScheduler.Identity("-GY0100-123456789012".getBytes(), 6881), peersGiven::add,
                seenAs::add);
    }

    private <T> T onExecutor(Callable<T> task) throws Exception {
        return executor.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Runs {@code action} on the scheduler's executor, as the torrent would, and waits for it. */
    private void run(Runnable action) throws Exception {
        onExecutor(() -> {
            action.run();
            return null;
        });
    }

    private static TrackerStatus find(List<TrackerStatus> statuses, String url) {
        return statuses.stream().filter(s -> s.url().equals(url)).findFirst().orElseThrow();
    }

    @Test
    void aHybridIsAnnouncedUnderBothInfohashesAndThePeersOfEitherAreTaken() throws Exception {
        InfoHash v2 = InfoHash.parse("fedcba9876543210fedcba9876543210fedcba98");
        clients.add(http(Set.of(), Duration.ofMinutes(30)), List.of("http"));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("http://a/announce")));
        scheduler.alsoAnnounceAs(List.of(v2));
        run(scheduler::start);
        Await.until("both swarms' peers handed on", WAIT, () -> peersGiven.size() == 2);
        assertEquals(List.of(HASH, v2), requests.stream().map(AnnounceRequest::infoHash).toList());
        assertTrue(requests.stream().allMatch(r -> r.event() == AnnounceEvent.STARTED), requests.toString());
        assertEquals(1, scheduler.statuses().size(), "one tracker, one status: the main hash's");
    }

    @Test
    void fallsThroughFailedTrackersAndTiersAndMovesTheOneThatAnsweredToTheFront() throws Exception {
        clients.add(http(Set.of("a", "c"), Duration.ofMinutes(30)), List.of("http"));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("http://a/announce", "http://b/announce"),
                List.of("http://c/announce", "udp://d:1", "http://e/announce")));
        run(scheduler::start);
        Await.until("the tracker's peers handed on", WAIT, () -> !peersGiven.isEmpty());
        List<TrackerStatus> statuses = scheduler.statuses();
        assertEquals("http://b/announce", statuses.get(0).url(), "b answered: first of tier 0 now");
        TrackerStatus b = find(statuses, "http://b/announce");
        assertEquals("working", b.status());
        assertEquals(OptionalInt.of(4), b.seeders());
        assertEquals(OptionalInt.of(2), b.leechers());
        assertEquals(Optional.of(Instant.ofEpochMilli(clock.millis()).plus(Duration.ofMinutes(30))), b.nextAnnounce());
        assertTrue(requests.stream().noneMatch(r -> Set.of("c", "e").contains(r.tracker().getHost())),
                "tier 1 is not asked once tier 0 answered");
        assertEquals(List.of(List.of(PEER)), peersGiven);
        assertEquals(List.of(OUR_EXTERNAL_IP), seenAs, "the tracker's external ip is passed on");
        AnnounceRequest toB = requests.stream().filter(r -> r.tracker().getHost().equals("b")).findFirst().orElseThrow();
        assertEquals(AnnounceEvent.STARTED, toB.event());
        assertEquals(List.of(10L, 20L, 1000L, 6881L), List.of(toB.uploaded(), toB.downloaded(), toB.left(), (long) toB.port()));
    }

    @Test
    void aSchemeWithoutClientIsShownAndSkipped() throws Exception {
        clients.add(http(Set.of(), Duration.ofMinutes(30)), List.of("http"));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("udp://d:1"), List.of("http://e/announce")));
        run(scheduler::start);
        Await.until("the tracker's peers handed on", WAIT, () -> !peersGiven.isEmpty());
        assertEquals("no client for scheme udp", find(scheduler.statuses(), "udp://d:1").status());
        assertEquals("working", find(scheduler.statuses(), "http://e/announce").status());
    }

    @Test
    void aWarningShowsInTheStatus() throws Exception {
        clients.add(http(Set.of(), Duration.ofMinutes(30)), List.of("http"));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("http://w/announce")));
        run(scheduler::start);
        Await.until("the warning shown", WAIT, () -> scheduler.statuses().get(0).status().equals("working, warning: slow down"));
    }

    @Test
    void aRoundWhereAllFailIsRetriedAfterTheBackOff() throws Exception {
        clients.add(http(Set.of("a"), Duration.ofMinutes(30)), List.of("http"));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("http://a/announce")));
        run(scheduler::start);
        Await.until("the failed round and its retry", WAIT, () -> "failed".equals(scheduler.statuses().get(0).status()) && scheduler.statuses().get(0).nextAnnounce().isPresent());
        TrackerStatus a = scheduler.statuses().get(0);
        assertEquals(Optional.of("down: a"), a.lastError());
        assertEquals(Optional.of(Instant.ofEpochMilli(clock.millis()).plus(AnnounceScheduler.FIRST_RETRY)), a.nextAnnounce(),
                "the back-off counts from the failure");
    }

    @Test
    void announcesAgainAfterTheIntervalThenCompletedOnceThenStopped() throws Exception {
        clients.add(http(Set.of(), Duration.ofMillis(300)), List.of("http"));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("http://a/announce")));
        run(scheduler::start);
        Await.until("a second announce", WAIT, () -> requests.size() >= 2);
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.NONE), requests.stream().limit(2).map(AnnounceRequest::event).toList());
        assertEquals(Optional.of("tid"), requests.get(1).trackerId(), "the tracker id comes back");
        left = 0;
        run(() -> {
            scheduler.completed();
            scheduler.completed();
        });
        Await.until("the completed announce", WAIT, () -> requests.stream().anyMatch(r -> r.event() == AnnounceEvent.COMPLETED));
        CompletableFuture<Void> stopped = onExecutor(scheduler::stop);
        stopped.get(5, TimeUnit.SECONDS);
        assertEquals(1, requests.stream().filter(r -> r.event() == AnnounceEvent.COMPLETED).count(), "completed once");
        assertEquals(AnnounceEvent.STOPPED, requests.get(requests.size() - 1).event());
        int sent = requests.size();
        onExecutor(() -> null); // whatever the stop queued has run
        assertEquals(List.of(), List.copyOf(timer.getQueue()), "no round due after stopped");
        assertEquals(sent, requests.size(), "nothing after stopped");
        assertEquals("stopped", scheduler.statuses().get(0).status());
    }

    @Test
    void aClientLeavingShowsAtOnceAndOneArrivingIsUsedAtOnce() throws Exception {
        TrackerClient udp = http(Set.of(), Duration.ofMinutes(30));
        AnnounceScheduler scheduler = scheduler(List.of(List.of("udp://u:1/announce")));
        run(scheduler::start);
        Await.until("no client for udp shown", WAIT, () -> scheduler.statuses().get(0).status().equals("no client for scheme udp"));
        clients.add(udp, List.of("udp"));
        run(scheduler::clientArrived);
        Await.until("the udp tracker working", WAIT, () -> scheduler.statuses().get(0).status().equals("working"));
        assertEquals(1, requests.size());
        clients.remove(udp);
        assertEquals("no client for scheme udp", scheduler.statuses().get(0).status());
        assertTrue(scheduler.statuses().get(0).nextAnnounce().isPresent(), "the rest of what it knew stays");
    }

    @Test
    void aClientArrivingWhileTheFirstRoundFailsIsUsedWithoutWaitingForTheBackOff() throws Exception {
        AnnounceScheduler scheduler = scheduler(List.of(List.of("udp://u:1/announce")));
        run(() -> {
            scheduler.start(); // queues the first round, which finds no client and ends in a task queued then
            executor.execute(() -> { // runs between the two: the round has failed its tracker but not ended
                clients.add(http(Set.of(), Duration.ofMinutes(30)), List.of("udp"));
                scheduler.clientArrived();
            });
        });
        Await.until("the udp tracker working", WAIT, () -> scheduler.statuses().get(0).status().equals("working"));
        assertEquals(1, requests.size());
    }
}
