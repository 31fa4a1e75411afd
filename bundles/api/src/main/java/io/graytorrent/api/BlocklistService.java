package io.graytorrent.api;

import java.net.InetAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The IP blocklist (PeerGuardian {@code .p2p}, eMule {@code ipfilter.dat}, CIDR lists), registered as an
 * OSGi service while it is configured; the engine asks it about every candidate peer and every
 * incoming connection. Thread-safe, and {@link #blocks} is cheap (a binary search).
 */
@ProviderType
public interface BlocklistService {

    /** Whether {@code address} lies in a loaded range; counts nothing. */
    boolean blocks(InetAddress address);

    /** A peer at {@code address} was refused for the list (not dialled, or closed as it was accepted): counted. */
    void refused(InetAddress address);

    BlocklistStatus status();

    /**
     * Runs {@code listener} (on the loading thread) after every load that puts a new list in force, so that
     * connections to addresses it now blocks can be closed; until {@link #removeLoadListener}.
     */
    void addLoadListener(Runnable listener);

    void removeLoadListener(Runnable listener);
}
