package io.graytorrent.udp;

/**
 * Counters of one {@link DatagramKind} on the shared socket since it was bound.
 *
 * @param received        datagrams of this kind that arrived
 * @param receiveDropped  of those, lost before a handler saw them: no handler of this kind was
 *                        registered, or a handler's queue was full (counted once per handler)
 * @param sent            datagrams of this kind handed to the operating system
 * @param sendDropped     datagrams of this kind refused by {@link UdpSocket#send}: the outgoing
 *                        queue was full, no socket of the destination's family, or the system refused it
 */
public record DatagramStats(long received, long receiveDropped, long sent, long sendDropped) {
}
