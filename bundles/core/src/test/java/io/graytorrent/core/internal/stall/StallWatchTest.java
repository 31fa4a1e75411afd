package io.graytorrent.core.internal.stall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.Stall;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.peerwire.PeerConnectException.Reason;
import io.graytorrent.testkit.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall watch on a fake clock, and each diagnosis from the situation that produces it. */
@Unit
class StallWatchTest {
    private static final Duration AFTER = Duration.ofSeconds(30);
    private static final Situation NO_SOURCE = new Situation(List.of(), 0, Map.of(), 0, 0, false);

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final StallWatch watch = new StallWatch("torrent 1 (test)", clock::get, () -> AFTER);

    @Test
    void saysNothingUntilNoProgressForTheWholeWhileThenDiagnosesUntilProgressResumes() {
        assertTrue(watch.check(0, () -> NO_SOURCE).isEmpty(), "the start counts as progress");
        clock.addAndGet(29_999);
        assertTrue(watch.check(0, () -> NO_SOURCE).isEmpty(), "not yet");
        clock.addAndGet(1);
        Stall stall = watch.check(0, () -> NO_SOURCE).orElseThrow();
        assertEquals(Stall.Kind.NO_PEER_SOURCE, stall.kind());
        assertEquals(Instant.ofEpochMilli(1_000_000), stall.since());
        assertEquals(Optional.of(stall), watch.stall());

        clock.addAndGet(5_000);
        assertTrue(watch.check(16_384, () -> NO_SOURCE).isEmpty(), "bytes arrived: no longer stuck");
        clock.addAndGet(29_000);
        assertTrue(watch.check(16_384, () -> NO_SOURCE).isEmpty(), "the while counts from the last progress");
        clock.addAndGet(1_000);
        assertEquals(Instant.ofEpochMilli(1_035_000), watch.check(16_384, () -> NO_SOURCE).orElseThrow().since());
    }

    @Test
    void aRestartForgetsTheDiagnosisAndCountsAgain() {
        watch.check(0, () -> NO_SOURCE);
        clock.addAndGet(40_000);
        assertTrue(watch.check(0, () -> NO_SOURCE).isPresent());
        watch.restart();
        assertTrue(watch.stall().isEmpty());
        assertTrue(watch.check(0, () -> NO_SOURCE).isEmpty(), "a restarted torrent gets its whole while again");
    }

    @Test
    void noTrackerAndNoPeerIsNoPeerSource() {
        StallDiagnosis.Finding finding = StallDiagnosis.diagnose(NO_SOURCE);
        assertEquals(Stall.Kind.NO_PEER_SOURCE, finding.kind());
        assertTrue(finding.message().contains("no trackers"), finding.message());
    }

    @Test
    void failingTrackersAreNamedWithTheirLastError() {
        TrackerStatus failed = tracker("http://127.0.0.1:1/announce", "failed", Optional.of("Connection refused"));
        TrackerStatus untried = tracker("udp://127.0.0.1:2", "idle", Optional.empty());
        StallDiagnosis.Finding finding = StallDiagnosis.diagnose(new Situation(List.of(failed, untried), 0, Map.of(), 0, 0, false));
        assertEquals(Stall.Kind.TRACKERS_FAILING, finding.kind());
        assertEquals("the trackers fail: http://127.0.0.1:1/announce: Connection refused", finding.message());
    }

    @Test
    void aWorkingTrackerWithoutPeersIsNotAFailingOne() {
        TrackerStatus working = tracker("http://127.0.0.1:1/announce", "working", Optional.of("an old error"));
        assertEquals(Stall.Kind.NO_PEERS_LISTED,
                StallDiagnosis.diagnose(new Situation(List.of(working), 0, Map.of(), 0, 0, false)).kind());
    }

    @Test
    void peersThatHangUpOnOurHandshakeMayRequireEncryption() {
        StallDiagnosis.Finding finding = StallDiagnosis.diagnose(
                new Situation(List.of(), 3, Map.of(Reason.CLOSED, 2, Reason.UNREACHABLE, 1), 0, 0, false));
        assertEquals(Stall.Kind.PEERS_REFUSED, finding.kind());
        assertEquals("3 peers known, none connects (2 closed after our handshake, 1 unreachable):"
                + " they hang up on our plaintext handshake, they may require encryption", finding.message());
    }

    @Test
    void connectedPeersThatAllChokeUs() {
        assertEquals(Stall.Kind.ALL_CHOKING,
                StallDiagnosis.diagnose(new Situation(List.of(), 2, Map.of(), 2, 0, false)).kind());
        assertEquals(Stall.Kind.NOTHING_ARRIVES,
                StallDiagnosis.diagnose(new Situation(List.of(), 2, Map.of(), 2, 1, false)).kind());
    }

    @Test
    void theDiskComesFirst() {
        assertEquals(Stall.Kind.WAITING_FOR_DISK,
                StallDiagnosis.diagnose(new Situation(List.of(), 2, Map.of(), 2, 0, true)).kind());
    }

    private static TrackerStatus tracker(String url, String status, Optional<String> lastError) {
        return new TrackerStatus(url, 0, status, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), lastError);
    }

    @Test
    void aBoundInterfaceThatIsDownIsTheReasonWhateverElseIsSeen() {
        StallDiagnosis.Finding finding = StallDiagnosis.diagnose(new Situation(List.of(), 3,
                Map.of(Reason.UNREACHABLE, 3), 0, 0, false, Situation.Sources.NONE,
                Optional.of("interface wg0 is down; nothing is sent until it is up")));
        assertEquals(Stall.Kind.PEERS_REFUSED, finding.kind());
        assertEquals("nothing is sent: interface wg0 is down; nothing is sent until it is up", finding.message());
    }
}
