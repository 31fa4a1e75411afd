package io.graytorrent.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The port mapping on the local gateway (UPnP IGD or NAT-PMP), registered as an OSGi service by the
 * port mapping plugin while it runs. Thread-safe.
 */
@ProviderType
public interface PortMappingService {

    PortMappingStatus status();
}
