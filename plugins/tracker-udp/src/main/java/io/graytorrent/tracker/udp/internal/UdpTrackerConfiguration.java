package io.graytorrent.tracker.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent UDP tracker client", description = "BEP 15 announce and scrape over udp")
public @interface UdpTrackerConfiguration {
    @AttributeDefinition(description = "Wait before the first retransmission, in milliseconds; BEP 15 says 15 s and doubles it each time")
    long retransmitBaseMillis() default 15_000;

    @AttributeDefinition(description = "Retransmissions before giving up (BEP 15: 8)")
    int maxRetransmits() default 8;

    @AttributeDefinition(description = "Seconds a connection id is reused (BEP 15: 60)")
    int connectionIdSeconds() default 60;

    // the network keys, read from the peer wire's PID (io.graytorrent.peerwire), where the README documents them

    @AttributeDefinition(description = "From the peer wire's configuration: source address of tracker packets")
    String bindAddress() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: interface tracker packets leave by")
    String bindInterface() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: SOCKS5 proxy; udp trackers are off behind it")
    String proxy() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: RFC 1929 user name")
    String proxyUsername() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: RFC 1929 password", type = AttributeType.PASSWORD)
    String proxyPassword() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: trackers go direct, not through the proxy")
    boolean proxyPeerConnectionsOnly() default false;
}
