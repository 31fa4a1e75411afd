package io.graytorrent.utp.internal.protocol;

/**
 * A TCP-like (Reno) bulk flow over a simulated link, the competitor in the fairness test: slow start,
 * then one packet more a round trip, halving on loss (told after a round trip, at most once one).
 */
final class RenoFlow {
    private static final int PACKET = 1400;

    private final Simulation sim;
    private final Link forward;
    private final Link back;
    private final long roundTrip;
    private double window = 2;
    private double threshold = Double.MAX_VALUE;
    private int inFlight;
    private long lastReduction = Long.MIN_VALUE;
    long delivered;

    RenoFlow(Simulation sim, Link forward, Link back, long roundTrip) {
        this.sim = sim;
        this.forward = forward;
        this.back = back;
        this.roundTrip = roundTrip;
    }

    void start() {
        fill();
    }

    private void fill() {
        while (inFlight < (int) window) {
            inFlight++;
            boolean queued = forward.send(PACKET, () -> {
                delivered += PACKET;
                back.send(40, this::acked);
            });
            if (!queued) {
                sim.at(sim.now() + roundTrip, this::lost);
            }
        }
    }

    private void acked() {
        inFlight--;
        window += window < threshold ? 1 : 1 / window;
        fill();
    }

    private void lost() {
        inFlight--;
        if (sim.now() - lastReduction > roundTrip) {
            lastReduction = sim.now();
            window = Math.max(2, window / 2);
            threshold = window;
        }
        fill();
    }
}
