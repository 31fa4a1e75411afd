package io.graytorrent.tracker.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent HTTP tracker client", description = "BEP 3 / 48 announce and scrape over http and https")
public @interface HttpTrackerConfiguration {
    @AttributeDefinition(description = "Seconds to wait for a tracker's whole reply")
    int timeoutSeconds() default 30;

    @AttributeDefinition(description = "Largest reply body accepted, in bytes")
    int maxReplyBytes() default 1 << 20;

    @AttributeDefinition(description = "Redirects followed per request")
    int maxRedirects() default 5;

    // the network keys, read from the peer wire's PID (io.graytorrent.peerwire), where the README documents them

    @AttributeDefinition(description = "From the peer wire's configuration: source address of tracker requests")
    String bindAddress() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: interface tracker requests leave by")
    String bindInterface() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: SOCKS5 proxy, socks5://HOST:PORT")
    String proxy() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: RFC 1929 user name")
    String proxyUsername() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: RFC 1929 password", type = AttributeType.PASSWORD)
    String proxyPassword() default "";

    @AttributeDefinition(description = "From the peer wire's configuration: trackers go direct, not through the proxy")
    boolean proxyPeerConnectionsOnly() default false;
}
