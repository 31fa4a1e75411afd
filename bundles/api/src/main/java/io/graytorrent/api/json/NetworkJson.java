package io.graytorrent.api.json;

import io.graytorrent.api.util.NetworkRoute;
import java.util.LinkedHashMap;
import java.util.Map;

/** The network route as a JSON-ready map ({@code gray network --json}, {@code GET /api/v1/network}); never the password. */
public final class NetworkJson {
    private NetworkJson() {
    }

    public static Map<String, Object> network(NetworkRoute route) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bindAddress", route.bindAddress().isEmpty() ? null : route.bindAddress());
        json.put("bindInterface", route.bindInterface().isEmpty() ? null : route.bindInterface());
        json.put("problem", route.problem().orElse(null));
        json.put("proxy", route.proxy().map(p -> p.getHostString() + ":" + p.getPort()).orElse(null));
        json.put("proxyUsername", route.proxyUsername().isEmpty() ? null : route.proxyUsername());
        json.put("proxyPeerConnectionsOnly", route.proxyPeerConnectionsOnly());
        Map<String, Object> udpOff = new LinkedHashMap<>();
        udpOff.put("utp", route.udpRefusal(NetworkRoute.Use.PEER).orElse(null));
        udpOff.put("dht", route.udpRefusal(NetworkRoute.Use.DHT).orElse(null));
        udpOff.put("udpTrackers", route.udpRefusal(NetworkRoute.Use.TRACKER).orElse(null));
        json.put("udpOff", udpOff);
        return json;
    }
}
