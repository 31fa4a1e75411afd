package io.graytorrent.utp.internal.protocol;

/**
 * LEDBAT (RFC 6817) as uTP clients run it: the congestion window grows by up to {@code gain} bytes
 * a round trip while the queuing delay is under the target and shrinks in proportion as it goes
 * over, so the uTP flow keeps the bottleneck's queue near the target and yields to TCP, which fills
 * it. Slow start doubles the window each round trip until the delay nears the target (90 %), the
 * linear gain would be larger, or a loss. A loss halves the window (at most once a round trip, the
 * caller's concern); a timeout drops it to one packet and slow-starts to half the old window. The window only grows while it is used:
 * an application that sends less than it allows does not earn a bigger one. Bytes.
 */
final class Ledbat {
    private final long target;
    private final long gain;
    private final long minWindow;
    private final long maxWindow;
    private long window;
    private boolean slowStart = true;
    /** Where slow start after a timeout ends: half the window the timeout found. */
    private long slowStartThreshold = Long.MAX_VALUE;

    /**
     * @param target     the queuing delay aimed for, microseconds (100 ms in mainstream clients)
     * @param gain       the most the window grows in a round trip at zero delay (3000 bytes in libtorrent)
     * @param minWindow  the smallest window: one packet
     * @param maxWindow  the largest window
     */
    Ledbat(long target, long gain, long minWindow, long maxWindow) {
        this.target = target;
        this.gain = gain;
        this.minWindow = minWindow;
        this.maxWindow = maxWindow;
        this.window = minWindow * 2;
    }

    /**
     * {@code acked} bytes were acknowledged while {@code inFlight} bytes were outstanding, with the
     * queuing delay at {@code delay}; {@code windowUsed} says whether the sender had filled the window.
     */
    void onAck(long acked, long inFlight, long delay, boolean windowUsed) {
        if (acked <= 0) {
            return;
        }
        double offTarget = (double) (target - delay) / target;
        double linear = gain * offTarget * acked / Math.max(inFlight, acked);
        double change = linear;
        if (slowStart) {
            if (acked > linear && window < slowStartThreshold && delay < target * 9 / 10) {
                change = acked;
            } else {
                slowStart = false;
            }
        }
        if (change > 0 && !windowUsed) {
            return;
        }
        window = Math.max(minWindow, Math.min(maxWindow, window + (long) change));
    }

    /** A packet was lost (fast retransmit): halve, as libtorrent's loss multiplier does, and end slow start. */
    void onLoss() {
        window = Math.max(minWindow, window / 2);
        slowStart = false;
    }

    /** The retransmission timer fired: nothing is getting through, start again from one packet. */
    void onTimeout() {
        slowStartThreshold = Math.max(minWindow, window / 2);
        window = minWindow;
        slowStart = true;
    }

    long window() {
        return window;
    }

    boolean inSlowStart() {
        return slowStart;
    }
}
