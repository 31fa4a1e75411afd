package io.graytorrent.peerwire.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "graytorrent peer wire", description = "The listening socket and peer connection limits")
@interface PeerWireConfiguration {

    @AttributeDefinition(description = "Address to listen on; empty for all interfaces (IPv4 and IPv6)")
    String bindAddress() default "";

    @AttributeDefinition(description = "First listen port to try; 0 for any free port")
    int port() default 6881;

    @AttributeDefinition(description = "How many following ports to try when the port is taken")
    int portRange() default 10;

    @AttributeDefinition(description = "Outgoing TCP connect timeout, seconds")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "BitTorrent handshake timeout, seconds")
    int handshakeTimeoutSeconds() default 20;

    @AttributeDefinition(description = "Close a connection silent for this many seconds")
    int idleTimeoutSeconds() default 150;

    @AttributeDefinition(description = "Send a keep-alive after this many seconds without sending")
    int keepAliveSeconds() default 90;

    @AttributeDefinition(description = "Connections before the handshake, each way: outgoing connects in flight, "
            + "and accepted connections still owing their handshake (the oldest is dropped past it)")
    int maxHalfOpen() default 32;

    @AttributeDefinition(description = "Largest extension message payload accepted, bytes")
    int maxExtendedPayload() default 65536;

    @AttributeDefinition(description = "Outstanding requests accepted from one peer (reqq)")
    int requestQueueLength() default 500;

    @AttributeDefinition(description = "Netty event loop threads; 0 for Netty's default")
    int eventLoopThreads() default 0;

    @AttributeDefinition(description = "Message Stream Encryption: disabled (plaintext only), enabled (dial "
            + "plaintext, retry encrypted; accept both), preferred (dial encrypted, fall back to plaintext; accept "
            + "both, RC4 when offered) or required (RC4 only, both ways). Changes apply to new connections at once",
            options = {@Option(value = "disabled"), @Option(value = "enabled"), @Option(value = "preferred"),
                    @Option(value = "required")})
    String encryption() default "preferred";

    @AttributeDefinition(description = "Transports outgoing connections try, in order, separated by commas: tcp, "
            + "and the names of installed transport plugins (utp); the next is tried when one gets no answer (uTP: "
            + "3 s), a name not installed is skipped. "
            + "Changes apply to new connections at once")
    String transports() default "utp,tcp";

    @AttributeDefinition(description = "A network interface name (e.g. wg0) instead of bindAddress: we listen on its "
            + "address and every outgoing connection and datagram leaves from it; while it is missing or down nothing "
            + "is sent (no fallback to another interface)")
    String bindInterface() default "";

    @AttributeDefinition(description = "SOCKS5 proxy (RFC 1928) as socks5://HOST:PORT; empty for none. Peer "
            + "connections and http(s) tracker requests go through it; UDP (uTP, the DHT, udp trackers) is then off")
    String proxy() default "";

    @AttributeDefinition(description = "RFC 1929 user name for the proxy; empty for no authentication")
    String proxyUsername() default "";

    @AttributeDefinition(description = "RFC 1929 password for the proxy", type = AttributeType.PASSWORD)
    String proxyPassword() default "";

    @AttributeDefinition(description = "Only peer connections go through the proxy; trackers and the DHT go direct")
    boolean proxyPeerConnectionsOnly() default false;
}
