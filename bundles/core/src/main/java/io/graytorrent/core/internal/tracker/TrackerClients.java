package io.graytorrent.core.internal.tracker;

import io.graytorrent.api.TrackerClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tracker clients present now, by URL scheme. Plugins come and go at any time (the OSGi
 * component binds and unbinds them; plain-Java programs add their own); a scheme whose client left
 * simply has none until another arrives. Thread-safe.
 */
public final class TrackerClients {
    private final Map<TrackerClient, List<String>> clients = new ConcurrentHashMap<>();
    private final List<Runnable> arrivalListeners = new CopyOnWriteArrayList<>();

    public void add(TrackerClient client, List<String> schemes) {
        clients.put(client, schemes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
        arrivalListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} (on the adding thread; it must not block) whenever a client arrives. */
    public void onArrival(Runnable listener) {
        arrivalListeners.add(listener);
    }

    public void remove(TrackerClient client) {
        clients.remove(client);
    }

    Optional<TrackerClient> forScheme(String scheme) {
        String wanted = scheme.toLowerCase(Locale.ROOT);
        return clients.entrySet().stream().filter(e -> e.getValue().contains(wanted)).map(Map.Entry::getKey).findFirst();
    }
}
