package io.graytorrent.control.internal.api;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.NetworkService;
import io.graytorrent.api.PortMappingService;
import io.graytorrent.api.json.NetworkJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/**
 * The network around the engine, each 503 while the part that knows it is absent: {@code GET /api/v1/network}
 * (bound address or interface and its state, SOCKS5 proxy, UDP kept off; needs the peer wire),
 * {@code GET /api/v1/blocklist} (while one is configured) and {@code GET /api/v1/portmap} (while the port
 * mapping plugin runs).
 */
public final class NetworkRoutes {
    private final EngineAccess engine;
    private final Supplier<NetworkService> network;

    public NetworkRoutes(EngineAccess engine, Supplier<NetworkService> network) {
        this.engine = engine;
        this.network = network;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/api/v1/network", Router.Access.SIGNED_IN, request -> {
            NetworkService current = network.get();
            if (current == null) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the peer wire is not running");
            }
            return JsonReply.ok(NetworkJson.network(current.route(), current.encryption()));
        });
        router.add(HttpMethod.GET, "/api/v1/blocklist", Router.Access.SIGNED_IN, request -> {
            BlocklistService list = engine.blocklistOrNull();
            if (list == null) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "no blocklist: none is configured (io.graytorrent.blocklist.cfg)");
            }
            return JsonReply.ok(NetworkJson.blocklist(list.status()));
        });
        router.add(HttpMethod.GET, "/api/v1/portmap", Router.Access.SIGNED_IN, request -> {
            PortMappingService mapping = engine.portMappingOrNull();
            if (mapping == null) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "port mapping is not running: its plugin (graytorrent-portmap.jar) is not installed");
            }
            return JsonReply.ok(NetworkJson.portMapping(mapping.status()));
        });
    }
}
