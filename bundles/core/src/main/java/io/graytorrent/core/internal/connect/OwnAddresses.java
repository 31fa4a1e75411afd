package io.graytorrent.core.internal.connect;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The addresses that reach this engine's own listener, so that it never dials itself: the listen
 * address (and, listening on all interfaces, any loopback address with its port), every address a
 * dial found to be ourselves (the handshake came back with our own peer id: a NAT hairpin, a
 * tracker listing us), and the IPs peers and trackers see us at (a peer's {@code yourip}, a
 * tracker's {@code external ip}) with our listen port. Learned addresses last while the engine
 * runs; the most recent {@value #LEARNED_BOUND} of each kind are kept, so peers reporting made-up
 * addresses cannot grow it. Thread-safe.
 */
public final class OwnAddresses {
    private static final int LEARNED_BOUND = 256;

    private final Supplier<InetSocketAddress> listening;
    private final Map<InetSocketAddress, Boolean> dialledOurselves = mostRecent();
    private final Map<InetAddress, Boolean> seenAs = mostRecent();

    public OwnAddresses(Supplier<InetSocketAddress> listening) {
        this.listening = listening;
    }

    public synchronized boolean contains(InetSocketAddress address) {
        if (dialledOurselves.containsKey(address)) {
            return true;
        }
        InetSocketAddress listen = listening.get();
        InetAddress ip = address.getAddress();
        return address.getPort() == listen.getPort() && ip != null
                && (ip.equals(listen.getAddress()) || seenAs.containsKey(ip)
                        || listen.getAddress().isAnyLocalAddress() && ip.isLoopbackAddress());
    }

    /** A dial of {@code address}, exactly as dialled, reached ourselves. */
    public synchronized void dialledOurselves(InetSocketAddress address) {
        dialledOurselves.put(address, Boolean.TRUE);
    }

    /**
     * Our address as {@code peer} would see it, for BEP 40's priority: the latest IP of its family
     * that a peer or tracker saw us at, else the listen address when it is one address of that
     * family; with our listen port. Null when unknown.
     */
    public synchronized InetSocketAddress ourAddressTowards(InetSocketAddress peer) {
        InetSocketAddress listen = listening.get();
        Class<?> family = peer.getAddress() == null ? null : peer.getAddress().getClass();
        InetAddress latest = null;
        for (InetAddress ip : seenAs.keySet()) {
            if (ip.getClass() == family) {
                latest = ip;
            }
        }
        if (latest == null && listen.getAddress().getClass() == family && !listen.getAddress().isAnyLocalAddress()) {
            latest = listen.getAddress();
        }
        return latest == null ? null : new InetSocketAddress(latest, listen.getPort());
    }

    /** A peer or tracker sees us at {@code ip}. */
    public synchronized void seenAs(InetAddress ip) {
        seenAs.put(ip, Boolean.TRUE);
    }

    private static <K> Map<K, Boolean> mostRecent() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
                return size() > LEARNED_BOUND;
            }
        };
    }
}
