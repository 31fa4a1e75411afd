package io.graytorrent.utp.internal.protocol;

/**
 * The retransmission timeout from round-trip samples, as BEP 29 (and TCP, RFC 6298) computes it:
 * a smoothed RTT and its mean deviation, timeout = rtt + 4 * deviation, never below the minimum;
 * it doubles on each timeout until a fresh sample arrives. Microseconds.
 */
final class RttEstimator {
    static final long INITIAL_TIMEOUT = 1_000_000;
    private static final long MAX_TIMEOUT = 60_000_000;

    private final long minTimeout;
    private long rtt = -1;
    private long deviation;
    private long timeout = INITIAL_TIMEOUT;

    RttEstimator(long minTimeout) {
        this.minTimeout = minTimeout;
    }

    /** One round trip measured on a packet sent once (Karn: never on a retransmitted one). */
    void sample(long roundTrip) {
        if (rtt < 0) {
            rtt = roundTrip;
            deviation = roundTrip / 2;
        } else {
            deviation += (Math.abs(rtt - roundTrip) - deviation) / 4;
            rtt += (roundTrip - rtt) / 8;
        }
        timeout = Math.max(rtt + 4 * deviation, minTimeout);
    }

    /** A timeout passed without an ack: wait twice as long for the next. */
    void backOff() {
        timeout = Math.min(timeout * 2, MAX_TIMEOUT);
    }

    long timeout() {
        return timeout;
    }

    /** The smoothed round trip, or -1 before the first sample. */
    long rtt() {
        return rtt;
    }
}
