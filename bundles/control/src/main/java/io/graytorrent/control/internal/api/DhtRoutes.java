package io.graytorrent.control.internal.api;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.json.DhtJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/** The DHT node's status, while the DHT plugin runs; 503 while it does not. */
public final class DhtRoutes {
    private final Supplier<DhtService> current;

    public DhtRoutes(Supplier<DhtService> current) {
        this.current = current;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/api/v1/dht", Router.Access.SIGNED_IN, request -> {
            DhtService dht = current.get();
            if (dht == null) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "the DHT is not running: its plugin (graytorrent-dht.jar) is not installed");
            }
            return JsonReply.ok(DhtJson.dht(dht.status()));
        });
    }
}
