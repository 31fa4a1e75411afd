package io.graytorrent.api;

import io.graytorrent.api.util.NetworkRoute;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The network route our traffic takes, as configured with the peer wire ({@code bindAddress},
 * {@code bindInterface}, the SOCKS5 proxy keys), for {@code gray network} and {@code /api/v1/network}.
 * The peer wire's component provides it.
 */
@ProviderType
public interface NetworkService {
    /** The route as configured now; its {@link NetworkRoute#problem()} checks the interface at each call. */
    NetworkRoute route();
}
