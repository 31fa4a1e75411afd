package io.graytorrent.peerwire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The extensions we announce, each with the local message id peers use to send us its messages.
 * Ids run from 1 to 255 (0 is the handshake); a freed id is reused only after all higher ones,
 * so a peer still holding an old handshake rarely reaches a newer extension. Connections take a
 * {@link #snapshot()} when they send their handshake. Thread-safe.
 */
public final class ExtensionRegistry {
    private static final int MAX_ID = 255;

    private final Map<Integer, ExtensionMessageHandler> byId = new LinkedHashMap<>();
    private int lastAssigned;

    /**
     * Assigns {@code handler} a local id.
     *
     * @throws IllegalArgumentException if an extension of that name is already registered
     * @throws IllegalStateException    if all 255 ids are taken
     */
    public synchronized int register(ExtensionMessageHandler handler) {
        String name = handler.name();
        if (byId.values().stream().anyMatch(h -> h.name().equals(name))) {
            throw new IllegalArgumentException("extension '" + name + "' is already registered");
        }
        for (int i = 1; i <= MAX_ID; i++) {
            int id = (lastAssigned + i - 1) % MAX_ID + 1;
            if (!byId.containsKey(id)) {
                byId.put(id, handler);
                lastAssigned = id;
                return id;
            }
        }
        throw new IllegalStateException("all " + MAX_ID + " extension message ids are taken");
    }

    public synchronized void unregister(ExtensionMessageHandler handler) {
        byId.values().removeIf(h -> h == handler);
    }

    public synchronized boolean isRegistered(ExtensionMessageHandler handler) {
        return byId.containsValue(handler);
    }

    /** A copy of the current id-to-handler assignment, in registration order. */
    public synchronized Map<Integer, ExtensionMessageHandler> snapshot() {
        return Map.copyOf(byId);
    }
}
