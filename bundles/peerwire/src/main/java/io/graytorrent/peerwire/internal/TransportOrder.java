package io.graytorrent.peerwire.internal;

import io.graytorrent.api.util.Completions;
import io.graytorrent.peerwire.PeerConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How an outgoing connection walks the {@code transports} setting, as mainstream clients dial
 * (issue 19: uTP first, TCP when uTP gets no answer): one attempt a transport, in order, the next
 * only when the previous could not reach the peer at all. A peer that answered and then refused or
 * failed the handshake would do no better over another transport, and our own half-open limit is
 * not the peer's fault, so either ends the walk.
 */
final class TransportOrder {
    private TransportOrder() {
    }

    /**
     * The first attempt that reaches the peer, or the failure of the last one tried, as it is (not
     * wrapped); {@code order} names the transports for the error when no attempt exists.
     */
    static <T> CompletableFuture<T> firstThatAnswers(List<Supplier<CompletableFuture<T>>> attempts, List<String> order) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (attempts.isEmpty()) {
            result.completeExceptionally(new PeerConnectException(PeerConnectException.Reason.UNREACHABLE,
                    "none of the transports " + order + " is installed", null));
        } else {
            tryFrom(0, attempts, result);
        }
        return result;
    }

    private static <T> void tryFrom(int index, List<Supplier<CompletableFuture<T>>> attempts, CompletableFuture<T> result) {
        attempts.get(index).get().whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (index + 1 < attempts.size() && unreachable(failure)) {
                tryFrom(index + 1, attempts, result);
            } else {
                result.completeExceptionally(Completions.cause(failure));
            }
        });
    }

    /** Whether the attempt could not reach the peer at all (no answer), rather than being refused by it or by us. */
    static boolean unreachable(Throwable failure) {
        return Completions.cause(failure) instanceof PeerConnectException refused
                && refused.reason() == PeerConnectException.Reason.UNREACHABLE;
    }
}
