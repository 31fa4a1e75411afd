package io.graytorrent.control.internal.api;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.NetworkService;
import io.graytorrent.api.PortMappingService;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.WatchFolderService;
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
    private final Supplier<WatchFolderService> watchFolder;
    private final Supplier<NetworkService> network;

    public EngineAccess(Supplier<TorrentService> current) {
        this(current, () -> null);
    }

    public EngineAccess(Supplier<TorrentService> current, Supplier<TorrentLabels> labels) {
        this(current, labels, () -> null, () -> null);
    }

    /** With the blocklist and the port mapping, each present while configured or installed. */
    public EngineAccess(Supplier<TorrentService> current, Supplier<TorrentLabels> labels,
            Supplier<BlocklistService> blocklist, Supplier<PortMappingService> portMapping) {
        this(current, labels, blocklist, portMapping, () -> null, () -> null);
    }

    /** With the watch folder's and the peer wire's settings too (the settings routes), each present while it runs. */
    public EngineAccess(Supplier<TorrentService> current, Supplier<TorrentLabels> labels,
            Supplier<BlocklistService> blocklist, Supplier<PortMappingService> portMapping,
            Supplier<WatchFolderService> watchFolder, Supplier<NetworkService> network) {
        this.current = current;
        this.labels = labels;
        this.blocklist = blocklist;
        this.portMapping = portMapping;
        this.watchFolder = watchFolder;
        this.network = network;
    }

    /** The watch folder's settings, or null while its component does not run. */
    public WatchFolderService watchFolderOrNull() {
        return watchFolder.get();
    }

    /** The peer wire's network service, or null while it does not run. */
    public NetworkService networkOrNull() {
        return network.get();
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
