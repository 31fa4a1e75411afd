package io.graytorrent.peerwire;

import io.graytorrent.peerwire.internal.ClientVersion;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * How the peer network behaves.
 *
 * @param bindAddress        address to listen on; empty for all interfaces, IPv4 and IPv6
 * @param port               first listen port to try; 0 for any free port
 * @param portRange          how many following ports to try when {@code port} is taken
 * @param connectTimeout     bound on an outgoing TCP connect
 * @param handshakeTimeout   bound on the BitTorrent handshake after the TCP connect
 * @param idleTimeout        close a connection that received nothing for this long
 * @param keepAliveInterval  send a keep-alive after this long without sending anything
 * @param maxHalfOpen        connections in flight before the BitTorrent handshake, in each direction:
 *                           outgoing connects, and accepted connections still owing their handshake
 *                           (past it the oldest of those is dropped)
 * @param maxExtendedPayload largest extension message payload accepted
 * @param requestQueueLength our {@code reqq}: requests we accept outstanding from a peer
 * @param clientName         our {@code v} in the extension handshake; by default from the build's version
 * @param eventLoopThreads   Netty event loop threads; 0 for Netty's default
 * @param encryption         which connections use MSE; the handshake timeout bounds its handshake too
 * @param transports         the transports outgoing connections try, in order ({@link PeerTransport#TCP}
 *                           and the names of transport plugins; those not installed are skipped)
 */
public record PeerWireSettings(String bindAddress, int port, int portRange, Duration connectTimeout,
        Duration handshakeTimeout, Duration idleTimeout, Duration keepAliveInterval, int maxHalfOpen,
        int maxExtendedPayload, int requestQueueLength, String clientName,
        int eventLoopThreads, EncryptionPolicy encryption, List<String> transports) {

    public PeerWireSettings {
        if (port < 0 || port > 65535 || portRange < 0 || maxHalfOpen < 1 || maxExtendedPayload < 1
                || requestQueueLength < 1 || eventLoopThreads < 0 || encryption == null) {
            throw new IllegalArgumentException("peer wire settings out of range");
        }
        transports = List.copyOf(transports);
        if (transports.isEmpty() || new HashSet<>(transports).size() < transports.size()
                || !transports.stream().allMatch(name -> name.matches("[a-z0-9_-]+"))) {
            throw new IllegalArgumentException("transports must name one or more transports (tcp, utp, ...), "
                    + "each once, in lower case: " + transports);
        }
    }

    /** The settings dialling over TCP only. */
    public PeerWireSettings(String bindAddress, int port, int portRange, Duration connectTimeout,
            Duration handshakeTimeout, Duration idleTimeout, Duration keepAliveInterval, int maxHalfOpen,
            int maxExtendedPayload, int requestQueueLength, String clientName,
            int eventLoopThreads, EncryptionPolicy encryption) {
        this(bindAddress, port, portRange, connectTimeout, handshakeTimeout, idleTimeout, keepAliveInterval,
                maxHalfOpen, maxExtendedPayload, requestQueueLength, clientName, eventLoopThreads,
                encryption, List.of(PeerTransport.TCP));
    }

    /** The settings with the default encryption policy, {@link EncryptionPolicy#PREFERRED}. */
    public PeerWireSettings(String bindAddress, int port, int portRange, Duration connectTimeout,
            Duration handshakeTimeout, Duration idleTimeout, Duration keepAliveInterval, int maxHalfOpen,
            int maxExtendedPayload, int requestQueueLength, String clientName,
            int eventLoopThreads) {
        this(bindAddress, port, portRange, connectTimeout, handshakeTimeout, idleTimeout, keepAliveInterval,
                maxHalfOpen, maxExtendedPayload, requestQueueLength, clientName, eventLoopThreads,
                EncryptionPolicy.PREFERRED);
    }

    /** BitTorrent's customary port 6881 on all interfaces, and limits like libtorrent's. */
    public static PeerWireSettings defaults() {
        return new PeerWireSettings("", 6881, 10, Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(150), Duration.ofSeconds(90), 32, 64 * 1024, 500, ClientVersion.CLIENT_NAME,
                0);
    }

    /** These settings, listening on {@code address} from {@code port} on. */
    public PeerWireSettings listeningOn(String address, int port) {
        return new PeerWireSettings(address, port, portRange, connectTimeout, handshakeTimeout, idleTimeout,
                keepAliveInterval, maxHalfOpen, maxExtendedPayload, requestQueueLength, clientName,
                eventLoopThreads, encryption, transports);
    }

    /** These settings with another encryption policy. */
    public PeerWireSettings withEncryption(EncryptionPolicy policy) {
        return new PeerWireSettings(bindAddress, port, portRange, connectTimeout, handshakeTimeout, idleTimeout,
                keepAliveInterval, maxHalfOpen, maxExtendedPayload, requestQueueLength, clientName,
                eventLoopThreads, policy, transports);
    }

    /** These settings dialling over {@code order}. */
    public PeerWireSettings withTransports(List<String> order) {
        return new PeerWireSettings(bindAddress, port, portRange, connectTimeout, handshakeTimeout, idleTimeout,
                keepAliveInterval, maxHalfOpen, maxExtendedPayload, requestQueueLength, clientName,
                eventLoopThreads, encryption, order);
    }

    /** A {@code transports} setting as written in configuration: names separated by commas, e.g. "utp, tcp". */
    public static List<String> parseTransports(String text) {
        return List.of(text.trim().split("\\s*,\\s*"));
    }
}
