package io.graytorrent.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running DHT node (BEP 5), registered as an OSGi service by the DHT plugin while it runs; absent
 * when the plugin is not installed. Thread-safe.
 */
@ProviderType
public interface DhtService {

    DhtStatus status();
}
