package io.graytorrent.api;

import java.util.List;

/**
 * The state of our listen port's mapping on the gateway, for {@code gray server status} and
 * {@code /api/v1/portmap}.
 *
 * @param protocol        {@code upnp}, {@code natpmp}, or "" while no gateway answered
 * @param gateway         the gateway that maps our port ({@code host:port} of its control URL or NAT-PMP
 *                        server), or "" while none is known
 * @param externalAddress our address on the gateway's outside, as it reports it, or "" while unknown
 * @param mappings        the mappings in force, e.g. {@code TCP 6881 -> 6881}
 * @param renewAt         when they are renewed next, ISO-8601 UTC, or "" while there are none
 * @param lastError       why the last attempt failed, or "" if it did not
 */
public record PortMappingStatus(String protocol, String gateway, String externalAddress, List<String> mappings,
        String renewAt, String lastError) {
    public PortMappingStatus {
        mappings = List.copyOf(mappings);
    }
}
