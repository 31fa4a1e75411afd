package io.graytorrent.control.internal.api;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.PortMappingService;
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
    private final Supplier<BlocklistService> blocklist;
    private final Supplier<PortMappingService> portMapping;

    public EngineAccess(Supplier<TorrentService> current) {
        this(current, () -> null);
    }

    public EngineAccess(Supplier<TorrentService> current, Supplier<TorrentLabels> labels) {
        this(current, labels, () -> null, () -> null);
    }

    /** With the blocklist and the port mapping, each present while configured or installed. */
    public EngineAccess(Supplier<TorrentService> current, Supplier<TorrentLabels> labels,
            Supplier<BlocklistService> blocklist, Supplier<PortMappingService> portMapping) {
        this.current = current;
        this.labels = labels;
        this.blocklist = blocklist;
        this.portMapping = portMapping;
    }

    /** The IP blocklist, or null while none is configured. */
    public BlocklistService blocklistOrNull() {
        return blocklist.get();
    }

    /** The port mapping, or null while its plugin does not run. */
    public PortMappingService portMappingOrNull() {
        return portMapping.get();
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
