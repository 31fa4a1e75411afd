package io.graytorrent.core.internal.stall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.Stall;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.peerwire.PeerConnectException.Reason;
import io.graytorrent.testkit.Unit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The diagnosis knows the DHT (running, its nodes, what it found) and the web seeds (their state and last error). */
@Unit
class StallSourcesTest {
    private static final String NO_BOOTSTRAP =
            "the DHT has no nodes: no bootstrap node answered (bootstrapNodes in io.graytorrent.dht.cfg, --dht-node)";

    @Test
    void aTrackerlessTorrentWhileTheDhtRunsWithoutNodesSaysNoBootstrapNodeAnswered() {
        Stall found = diagnose(trackerless(new Situation.Sources(false, Optional.of(dht(0, 0, 0)), 0, List.of())));
        assertEquals(Stall.Kind.NO_PEER_SOURCE, found.kind());
        assertEquals("no way to find peers: no trackers, no peers given (--peer, x.pe), and " + NO_BOOTSTRAP,
                found.message());
    }

    @Test
    void aTrackerlessTorrentWhoseDhtHasNodesButFoundNobodyIsNoPeerListedNotNoSource() {
        Stall found = diagnose(trackerless(new Situation.Sources(false, Optional.of(dht(12, 3, 1)), 0, List.of())));
        assertEquals(Stall.Kind.NO_PEERS_LISTED, found.kind());
        assertEquals("no trackers and no peers given, and the DHT (15 nodes, 1 lookup running) has found no peers"
                + " for it yet", found.message());
    }

    @Test
    void peersTheDhtFoundAreCounted() {
        Situation s = new Situation(List.of(), 2, Map.of(), 0, 0, false,
                new Situation.Sources(false, Optional.of(dht(40, 0, 2)), 2, List.of()));
        Stall found = diagnose(s);
        assertEquals(Stall.Kind.NO_PEERS_LISTED, found.kind());
        assertEquals("2 peers known, none connected yet; no tracker to find others, and the DHT (40 nodes,"
                + " 2 lookups running) found 2 peers for it", found.message());
    }

    @Test
    void withoutTheDhtPluginItStillSaysNoDht() {
        assertEquals("no way to find peers: no trackers, no peers given (--peer, x.pe), and no DHT",
                diagnose(trackerless(Situation.Sources.NONE)).message());
    }

    @Test
    void aPrivateTorrentSaysItDoesNotUseTheDht() {
        Stall found = diagnose(trackerless(new Situation.Sources(true, Optional.empty(), 0, List.of())));
        assertEquals(Stall.Kind.NO_PEER_SOURCE, found.kind());
        assertEquals("no way to find peers: no trackers, no peers given (--peer, x.pe), and a private torrent does"
                + " not use the DHT", found.message());
    }

    @Test
    void failingTrackersNameTheDhtToo() {
        TrackerStatus failed = new TrackerStatus("http://127.0.0.1:1/announce", 0, "failed", Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.of("Connection refused"));
        Situation s = new Situation(List.of(failed), 0, Map.of(), 0, 0, false,
                new Situation.Sources(false, Optional.of(dht(0, 0, 0)), 0, List.of()));
        Stall found = diagnose(s);
        assertEquals(Stall.Kind.TRACKERS_FAILING, found.kind());
        assertEquals("the tracker fails: http://127.0.0.1:1/announce: Connection refused; " + NO_BOOTSTRAP, found.message());
    }

    @Test
    void webSeedsBackingOffOrDroppedAreNamedWithTheirLastErrorBeforeThePeerSide() {
        List<WebSeedStatus> seeds = List.of(
                seed("http://127.0.0.1:8080/data", "backing off", "HTTP 503"),
                seed("http://127.0.0.1:8081/data", "dropped", "piece 3 failed its hash check"));
        Stall found = diagnose(trackerless(new Situation.Sources(false, Optional.empty(), 0, seeds)));
        assertEquals(Stall.Kind.WEB_SEEDS_FAILING, found.kind());
        assertEquals("the web seeds fail: http://127.0.0.1:8080/data backing off (HTTP 503);"
                + " http://127.0.0.1:8081/data dropped (piece 3 failed its hash check);"
                + " no way to find peers: no trackers, no peers given (--peer, x.pe), and no DHT", found.message());
    }

    @Test
    void anIdleWebSeedHoldsNoneOfWhatIsMissing() {
        Situation s = new Situation(List.of(), 1, Map.of(Reason.UNREACHABLE, 1), 0, 0, false,
                new Situation.Sources(false, Optional.empty(), 0, List.of(seed("http://h/d", "idle", "HTTP 404"))));
        Stall found = diagnose(s);
        assertEquals(Stall.Kind.WEB_SEEDS_FAILING, found.kind());
        assertEquals("the web seed fails: http://h/d holds none of what is missing (HTTP 404); 1 peer known, none"
                + " connects (1 unreachable): nothing listens there, or a firewall is in the way", found.message());
    }

    @Test
    void aWebSeedAskedForDataThatSendsNothingIsNothingArriving() {
        Situation s = new Situation(List.of(), 0, Map.of(), 1, 0, false, new Situation.Sources(false, Optional.empty(), 0,
                List.of(seed("http://h/d", "downloading", null), seed("http://g/d", "backing off", "timed out"))));
        Stall found = diagnose(s);
        assertEquals(Stall.Kind.NOTHING_ARRIVES, found.kind());
        assertEquals("the web seed is asked for data, but nothing arrives: http://h/d downloading", found.message());
    }

    @Test
    void aWebSeedAskedAgainAfterAFailureStillFailsWithThatError() {
        Situation s = new Situation(List.of(), 0, Map.of(), 0, 0, false, new Situation.Sources(false, Optional.empty(), 0,
                List.of(seed("https://h/d", "downloading", "SSLHandshakeException: PKIX path building failed"))));
        Stall found = diagnose(s);
        assertEquals(Stall.Kind.WEB_SEEDS_FAILING, found.kind(), "the same kind as while it backed off");
        assertEquals("the web seed fails: https://h/d retrying (SSLHandshakeException: PKIX path building failed);"
                + " no way to find peers: no trackers, no peers given (--peer, x.pe), and no DHT", found.message());
    }

    @Test
    void connectedPeersComeFirstWithTheFailingWebSeedsAdded() {
        Situation s = new Situation(List.of(), 2, Map.of(), 2, 0, false, new Situation.Sources(false, Optional.empty(), 0,
                List.of(seed("http://h/d", "backing off", "connection refused"))));
        Stall found = diagnose(s);
        assertEquals(Stall.Kind.ALL_CHOKING, found.kind());
        assertEquals("2 peers connected, all choking us: they serve others first; waiting for one to unchoke us;"
                + " the web seed fails: http://h/d backing off (connection refused)", found.message());
    }

    @Test
    void theDiskStillComesFirst() {
        Situation s = new Situation(List.of(), 0, Map.of(), 0, 0, true, new Situation.Sources(false, Optional.empty(), 0,
                List.of(seed("http://h/d", "dropped", "wrong Content-Range"))));
        assertEquals(Stall.Kind.WAITING_FOR_DISK, diagnose(s).kind());
    }

    private static Stall diagnose(Situation s) {
        StallDiagnosis.Finding finding = StallDiagnosis.diagnose(s);
        return new Stall(finding.kind(), finding.message(), java.time.Instant.EPOCH);
    }

    private static Situation trackerless(Situation.Sources sources) {
        return new Situation(List.of(), 0, Map.of(), 0, 0, false, sources);
    }

    private static DhtStatus dht(int ipv4Nodes, int ipv6Nodes, int lookupsRunning) {
        return new DhtStatus("00".repeat(20), "", new DhtStatus.Table(ipv4Nodes, ipv4Nodes, List.of(ipv4Nodes)),
                new DhtStatus.Table(ipv6Nodes, 0, List.of(ipv6Nodes)), 0, 0, 1, lookupsRunning, lookupsRunning, 10, 10,
                1000, 0, 0, 0);
    }

    private static WebSeedStatus seed(String url, String state, String lastError) {
        return new WebSeedStatus(url, state, 0, 0, Optional.ofNullable(lastError));
    }
}
