package io.graytorrent.control.internal.api;

import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentService;
import io.graytorrent.control.internal.http.ApiException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The engine as routes reach it: looked up per request, because the endpoint outlives an engine
 * restart (its port must not change under the {@code gray} client); 503 while there is none.
 */
public final class EngineAccess {
    private final Supplier<TorrentService> current;
    private final Supplier<TorrentLabels> labels;

    public EngineAccess(Supplier<TorrentService> current) {
        this(current, () -> null);
    }

    public EngineAccess(Supplier<TorrentService> current, Supplier<TorrentLabels> labels) {
        this.current = current;
        this.labels = labels;
    }

    TorrentService get() throws ApiException {
        TorrentService engine = current.get();
        if (engine == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the engine is not running");
        }
        return engine;
    }

    TorrentLabels labels() throws ApiException {
        TorrentLabels service = labels.get();
        if (service == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the engine is not running");
        }
        return service;
    }

    /** The torrent's labels; none while the engine restarts. */
    public Set<String> labelsOf(int id) {
        TorrentLabels service = labels.get();
        return service == null ? Set.of() : service.labels(id);
    }

    /** The engine, or null while there is none: for answers that say so rather than fail. */
    public TorrentService orNull() {
        return current.get();
    }
}
