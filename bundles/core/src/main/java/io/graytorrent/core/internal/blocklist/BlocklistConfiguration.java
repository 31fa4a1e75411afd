package io.graytorrent.core.internal.blocklist;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent IP blocklist",
        description = "Peers whose address is on these lists are never dialled and their connections are closed as accepted")
public @interface BlocklistConfiguration {

    @AttributeDefinition(description = "Files and http(s) URLs of lists (PeerGuardian .p2p, eMule ipfilter.dat, CIDR;"
            + " plain or gzip), read in order into one list; none = off")
    String[] sources() default {};

    @AttributeDefinition(description = "Minutes between two loads of the sources; 0 = load at start only")
    int refreshMinutes() default 1440;
}
