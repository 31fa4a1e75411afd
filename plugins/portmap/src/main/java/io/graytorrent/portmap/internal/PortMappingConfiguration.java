package io.graytorrent.portmap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent port mapping",
        description = "Maps the peer listen port on the home gateway for TCP and UDP: UPnP IGD, then NAT-PMP")
public @interface PortMappingConfiguration {

    @AttributeDefinition(description = "Map the listen port at all (false = off, nothing is sent to the gateway)")
    boolean enabled() default true;

    @AttributeDefinition(description = "Try UPnP IGD (SSDP discovery, SOAP AddPortMapping)")
    boolean upnp() default true;

    @AttributeDefinition(description = "Try NAT-PMP (RFC 6886) on the default gateway when UPnP finds none")
    boolean natPmp() default true;

    @AttributeDefinition(description = "The NAT-PMP server's address; empty = the default gateway (Linux /proc/net/route)")
    String natPmpGateway() default "";

    @AttributeDefinition(description = "Lease asked for each mapping, seconds; renewed at half of what the gateway grants")
    int leaseSeconds() default 3600;

    @AttributeDefinition(description = "How long to wait for SSDP answers, seconds")
    int discoverySeconds() default 3;

    @AttributeDefinition(description = "How long after a failure to look for a gateway again, seconds")
    int retrySeconds() default 300;
}
