package io.graytorrent.utp.internal.protocol;

/**
 * A connection's limits and timers. Sizes in bytes, times in microseconds.
 *
 * @param packetSize      the largest datagram sent, header included (a safe default below common path MTUs)
 * @param receiveBuffer   received bytes held (in order, unread, and out of order): the window advertised
 * @param sendBuffer      written bytes held before they are sent; a full buffer makes the channel unwritable
 * @param targetDelay     LEDBAT's target queuing delay
 * @param gain            LEDBAT's most window growth a round trip, bytes
 * @param maxWindow       the congestion window's ceiling
 * @param minTimeout      the retransmission timeout's floor
 * @param connectAttempts SYNs sent before a connect fails (2: given up after 3 s, so a peer without uTP is
 *                        soon dialled over TCP, as libtorrent's uTP connect timeout does)
 * @param maxTimeouts     consecutive retransmission timeouts before the connection is given up
 * @param keepAlive       an idle connection sends an ack this often (keeps NAT mappings open)
 * @param idleTimeout     a connection hearing nothing this long is closed
 * @param delayedAck      an ack owed waits at most this long for data to ride on
 */
public record UtpSettings(int packetSize, int receiveBuffer, int sendBuffer, long targetDelay, long gain,
        long maxWindow, long minTimeout, int connectAttempts, int maxTimeouts, long keepAlive, long idleTimeout,
        long delayedAck) {

    public static final UtpSettings DEFAULTS = new UtpSettings(1400, 1 << 20, 1 << 20, 100_000, 3000, 1 << 20,
            500_000, 2, 6, 29_000_000, 180_000_000, 10_000);

    public UtpSettings {
        if (packetSize < 150 || packetSize > 65_000) {
            throw new IllegalArgumentException("packet size " + packetSize + " outside 150 to 65000");
        }
        if (maxWindow > (long) (UtpConnection.MAX_OUTSTANDING - 1) * payloadSize(packetSize)) {
            throw new IllegalArgumentException("window " + maxWindow + " needs more packets in flight than tracked");
        }
    }

    /** The payload a full DATA packet carries. */
    public int payloadSize() {
        return payloadSize(packetSize);
    }

    private static int payloadSize(int packetSize) {
        return packetSize - 20;
    }

    public UtpSettings withPacketSize(int size) {
        return new UtpSettings(size, receiveBuffer, sendBuffer, targetDelay, gain, maxWindow, minTimeout,
                connectAttempts, maxTimeouts, keepAlive, idleTimeout, delayedAck);
    }
}
