package io.graytorrent.api;

import io.graytorrent.api.util.NetworkRoute;
import java.io.IOException;
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

    /** The peer wire's encryption policy in force: {@code disabled}, {@code enabled}, {@code preferred} or {@code required}. */
    String encryption();

    /**
     * Sets the encryption policy for the connections made from now on, kept across restarts; values set here
     * and the configuration's {@code encryption} follow "per key, the later change wins" (README, Configuration).
     * Returns the policy in force (a runtime's own override, {@code gray get --encryption}, beats both).
     *
     * @throws IllegalArgumentException not one of the four policies
     */
    String updateEncryption(String policy) throws IOException;
}
