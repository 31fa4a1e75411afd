package io.graytorrent.control.internal.api;

import io.graytorrent.api.NetworkService;
import io.graytorrent.api.json.NetworkJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/** The network route (bound address or interface and its state, SOCKS5 proxy, UDP kept off); 503 without a peer wire. */
public final class NetworkRoutes {
    private final Supplier<NetworkService> current;

    public NetworkRoutes(Supplier<NetworkService> current) {
        this.current = current;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/api/v1/network", Router.Access.SIGNED_IN, request -> {
            NetworkService network = current.get();
            if (network == null) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the peer wire is not running");
            }
            return JsonReply.ok(NetworkJson.network(network.route()));
        });
    }
}
