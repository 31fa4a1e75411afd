package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnectException.Reason;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.testkit.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The dialling order over transports, without sockets: attempts are futures the test completes. */
@Unit
class TransportOrderTest {
    private static final List<String> UTP_THEN_TCP = List.of("utp", "tcp");

    private final List<String> tried = new ArrayList<>();

    private Supplier<CompletableFuture<String>> attempt(String transport, CompletableFuture<String> outcome) {
        return () -> {
            tried.add(transport);
            return outcome;
        };
    }

    private static CompletableFuture<String> failing(Reason reason) {
        return CompletableFuture.failedFuture(new PeerConnectException(reason, reason.name(), null));
    }

    @Test
    void theFirstTransportThatConnectsIsTheOnlyOneTried() throws Exception {
        CompletableFuture<String> utp = new CompletableFuture<>();
        CompletableFuture<String> result = TransportOrder.firstThatAnswers(
                List.of(attempt("utp", utp), attempt("tcp", CompletableFuture.completedFuture("tcp peer"))), UTP_THEN_TCP);
        assertEquals(List.of("utp"), tried, "TCP waits while uTP is still trying");
        utp.complete("utp peer");
        assertEquals("utp peer", result.get());
        assertEquals(List.of("utp"), tried);
    }

    @Test
    void noAnswerOverOneTransportTriesTheNext() throws Exception {
        CompletableFuture<String> utp = new CompletableFuture<>();
        CompletableFuture<String> result = TransportOrder.firstThatAnswers(
                List.of(attempt("utp", utp), attempt("tcp", CompletableFuture.completedFuture("tcp peer"))), UTP_THEN_TCP);
        utp.completeExceptionally(new PeerConnectException(Reason.UNREACHABLE, "no answer within 10s", null));
        assertEquals("tcp peer", result.get());
        assertEquals(UTP_THEN_TCP, tried);
    }

    @Test
    void aPeerThatAnsweredAndFailedTheHandshakeIsNotDialledOverAnotherTransport() {
        for (Reason reason : List.of(Reason.CLOSED, Reason.RESET, Reason.TIMEOUT, Reason.NOT_BITTORRENT,
                Reason.WRONG_INFOHASH, Reason.OURSELVES, Reason.LIMIT)) {
            tried.clear();
            CompletableFuture<String> result = TransportOrder.firstThatAnswers(
                    List.of(attempt("utp", failing(reason)), attempt("tcp", CompletableFuture.completedFuture("tcp"))),
                    UTP_THEN_TCP);
            ExecutionException failure = assertThrows(ExecutionException.class, result::get);
            assertEquals(reason, ((PeerConnectException) failure.getCause()).reason());
            assertEquals(List.of("utp"), tried, reason.name());
        }
    }

    @Test
    void whenNoTransportAnswersTheLastFailureIsTheAnswerUnwrapped() {
        PeerConnectException last = new PeerConnectException(Reason.UNREACHABLE, "tcp refused", null);
        CompletableFuture<String> result = TransportOrder.firstThatAnswers(List.of(
                attempt("utp", failing(Reason.UNREACHABLE)), attempt("tcp", CompletableFuture.failedFuture(last))),
                UTP_THEN_TCP);
        assertSame(last, result.handle((value, failure) -> failure).join());
        assertEquals(UTP_THEN_TCP, tried);
    }

    @Test
    void noInstalledTransportIsUnreachableAndSaysWhich() {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> TransportOrder.<String>firstThatAnswers(List.of(), List.of("utp")).get());
        PeerConnectException cause = (PeerConnectException) failure.getCause();
        assertEquals(Reason.UNREACHABLE, cause.reason());
        assertEquals("none of the transports [utp] is installed", cause.getMessage());
    }

    @Test
    void theSettingIsNamesSeparatedByCommasEachOnceInLowerCase() {
        PeerWireSettings defaults = PeerWireSettings.defaults();
        assertEquals(List.of("tcp"), defaults.transports());
        assertEquals(UTP_THEN_TCP, defaults.withTransports(PeerWireSettings.parseTransports(" utp , tcp ")).transports());
        for (String bad : List.of("", "tcp,tcp", "TCP", "utp,,tcp", "u tp")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> defaults.withTransports(PeerWireSettings.parseTransports(bad)), bad);
            assertEquals(true, refused.getMessage().startsWith("transports must name one or more transports"), bad);
        }
    }
}
