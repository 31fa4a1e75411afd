package io.graytorrent.utp.internal.protocol;

/**
 * One direction of a simulated path: a bottleneck of {@code bytesPerSecond} with a drop-tail queue
 * of {@code queueBytes} (0 rate: no bottleneck), then a propagation delay with random jitter (which
 * reorders), random loss and duplication. Several flows may share one link.
 */
final class Link {
    private final Simulation sim;
    private final long delay;
    private final long jitter;
    private final double loss;
    private final double duplication;
    private final long bytesPerSecond;
    private final long queueBytes;
    private long busyUntil;
    boolean cut;
    long dropped;

    Link(Simulation sim, long delay, long jitter, double loss, double duplication, long bytesPerSecond,
            long queueBytes) {
        this.sim = sim;
        this.delay = delay;
        this.jitter = jitter;
        this.loss = loss;
        this.duplication = duplication;
        this.bytesPerSecond = bytesPerSecond;
        this.queueBytes = queueBytes;
    }

    static Link plain(Simulation sim, long delay) {
        return new Link(sim, delay, 0, 0, 0, 0, 0);
    }

    /** Carries {@code size} bytes; {@code deliver} runs on arrival (never, when lost). Returns false when dropped. */
    boolean send(int size, Runnable deliver) {
        long now = sim.now();
        long departure = now;
        if (bytesPerSecond > 0) {
            long start = Math.max(now, busyUntil);
            long queued = (start - now) * bytesPerSecond / 1_000_000;
            if (queued + size > queueBytes) {
                dropped++;
                return false;
            }
            departure = start + size * 1_000_000L / bytesPerSecond;
            busyUntil = departure;
        }
        if (cut || sim.random.nextDouble() < loss) {
            dropped++;
            return true;
        }
        int copies = sim.random.nextDouble() < duplication ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long arrival = departure + delay + (jitter == 0 ? 0 : (long) (sim.random.nextDouble() * jitter));
            sim.at(arrival, deliver);
        }
        return true;
    }
}
