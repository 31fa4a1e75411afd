package io.graytorrent.control.internal.api;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.PortMappingService;
import io.graytorrent.api.json.NetworkJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The network around the engine: {@code GET /api/v1/blocklist} (503 while no blocklist is configured)
 * and {@code GET /api/v1/portmap} (503 while the port mapping plugin does not run).
 */
public final class NetworkRoutes {
    private final EngineAccess engine;

    public NetworkRoutes(EngineAccess engine) {
        this.engine = engine;
    }

    public void register(Router router) {
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
