package io.graytorrent.utp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent uTP",
        description = "uTP (BEP 29) peer connections over the shared UDP socket on the listen port, with LEDBAT")
@interface UtpConfiguration {

    @AttributeDefinition(description = "uTP connections at most, both directions, closing ones included; "
            + "SYNs past it are dropped (the peer wire's connection and half-open limits apply as well)")
    int maxConnections() default 1000;

    @AttributeDefinition(description = "Largest datagram sent, bytes, header included (150-65000)")
    int packetSize() default 1400;

    @AttributeDefinition(description = "LEDBAT's target queuing delay, milliseconds: uTP backs off above it")
    int targetDelayMillis() default 100;

    @AttributeDefinition(description = "Threads running uTP connections")
    int threads() default 1;
}
