package io.graytorrent.udp;

import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The UDP socket bound to the peer wire's listen address and port, carrying the DHT's and uTP's
 * datagrams. Incoming datagrams go to the {@link DatagramHandler} services of their
 * {@link DatagramKind}; datagrams of no kind are counted ({@link #unclassified}) and dropped.
 * It binds when it starts; a later change of the peer wire's address reaches it at its next start.
 * An OSGi service; thread-safe.
 */
@ProviderType
public interface UdpSocket {

    /** Where the socket is bound: the peer wire's listen address and port. */
    InetSocketAddress localAddress();

    /**
     * Whether datagrams of {@code family} ({@link java.net.StandardProtocolFamily#INET} or
     * {@code INET6}) can be sent and received: both on a dual-stack socket (bound to the wildcard
     * address where the system has IPv6), else the bound address's family.
     */
    boolean supports(ProtocolFamily family);

    /**
     * Queues the buffer's remaining bytes to {@code to} without blocking. The bytes are copied
     * before this returns, so the caller may reuse the buffer; its position is left as it was.
     *
     * @return false when the datagram was dropped (counted): the bounded outgoing queue is full,
     *         or the socket does not support {@code to}'s family; true when queued, which, as UDP
     *         goes, does not mean delivered
     * @throws IllegalArgumentException when the bytes are of no {@link DatagramKind}: this socket
     *                                  carries only those, so a peer can always tell them apart
     */
    boolean send(InetSocketAddress to, ByteBuffer datagram);

    /** The counters of one kind. */
    DatagramStats stats(DatagramKind kind);

    /** Incoming datagrams of no {@link DatagramKind}, or longer than the socket takes, dropped. */
    long unclassified();
}
