package io.graytorrent.tracker.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent UDP tracker client", description = "BEP 15 announce and scrape over udp")
public @interface UdpTrackerConfiguration {
    @AttributeDefinition(description = "Wait before the first retransmission, in milliseconds; BEP 15 says 15 s and doubles it each time")
    long retransmitBaseMillis() default 15_000;

    @AttributeDefinition(description = "Retransmissions before giving up (BEP 15: 8)")
    int maxRetransmits() default 8;

    @AttributeDefinition(description = "Seconds a connection id is reused (BEP 15: 60)")
    int connectionIdSeconds() default 60;

}
