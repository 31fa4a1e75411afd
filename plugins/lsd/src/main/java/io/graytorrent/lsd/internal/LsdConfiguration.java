package io.graytorrent.lsd.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent local service discovery",
        description = "BEP 14: multicast announces of running public torrents on the local network, and peers from others' announces")
public @interface LsdConfiguration {
    @AttributeDefinition(description = "Announce on and listen to the LSD multicast groups")
    boolean enabled() default true;

    @AttributeDefinition(description = "Seconds between two announces of the same torrent (BEP 14: 300)")
    int announceIntervalSeconds() default 300;

    @AttributeDefinition(description = "Seconds at least between two announce datagrams, each carrying up to ~25 "
            + "torrents (BEP 14: no more than one a minute)")
    int minAnnounceGapSeconds() default 60;

    @AttributeDefinition(description = "Multicast TTL of our announces (BEP 14 suggests above 1 for the groups' scope)")
    int multicastTtl() default 32;

    @AttributeDefinition(description = "Announce datagrams read per second, in bursts of twice that; the rest are dropped unread")
    int maxDatagramsPerSecond() default 20;

    @AttributeDefinition(description = "Seconds before the same peer's announce of the same torrent is passed on again")
    int repeatSeconds() default 60;
}
