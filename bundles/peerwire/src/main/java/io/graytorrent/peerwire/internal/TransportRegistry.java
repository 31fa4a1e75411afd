package io.graytorrent.peerwire.internal;

import io.graytorrent.peerwire.PeerTransport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The transport plugins present, by name; they come and go while the peer wire runs. */
public final class TransportRegistry {
    private final Map<String, PeerTransport> byName = new ConcurrentHashMap<>();

    /** Adds {@code transport}; false (and nothing changes) if it is named tcp or its name is taken. */
    public boolean register(PeerTransport transport) {
        return !transport.name().equals(PeerTransport.TCP) && byName.putIfAbsent(transport.name(), transport) == null;
    }

    public void unregister(PeerTransport transport) {
        byName.remove(transport.name(), transport);
    }

    Optional<PeerTransport> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
