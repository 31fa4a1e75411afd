package io.graytorrent.api.json;

import io.graytorrent.api.BlocklistStatus;
import io.graytorrent.api.PortMappingStatus;
import io.graytorrent.api.util.NetworkRoute;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network around the engine as JSON-ready maps: the route and the encryption policy in force
 * ({@code gray network --json}, {@code GET /api/v1/network}; never the password), the IP blocklist ({@code gray blocklist --json},
 * {@code GET /api/v1/blocklist}) and the port mapping ({@code gray portmap --json}, {@code GET /api/v1/portmap});
 * "" becomes null.
 */
public final class NetworkJson {
    private NetworkJson() {
    }

    /** The route and the peer wire's {@code encryption} policy (see {@code NetworkService#encryption()}). */
    public static Map<String, Object> network(NetworkRoute route, String encryption) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bindAddress", orNull(route.bindAddress()));
        json.put("bindInterface", orNull(route.bindInterface()));
        json.put("problem", route.problem().orElse(null));
        json.put("proxy", route.proxy().map(p -> p.getHostString() + ":" + p.getPort()).orElse(null));
        json.put("proxyUsername", orNull(route.proxyUsername()));
        json.put("proxyPeerConnectionsOnly", route.proxyPeerConnectionsOnly());
        Map<String, Object> udpOff = new LinkedHashMap<>();
        udpOff.put("utp", route.udpRefusal(NetworkRoute.Use.PEER).orElse(null));
        udpOff.put("dht", route.udpRefusal(NetworkRoute.Use.DHT).orElse(null));
        udpOff.put("udpTrackers", route.udpRefusal(NetworkRoute.Use.TRACKER).orElse(null));
        json.put("udpOff", udpOff);
        json.put("encryption", encryption);
        return json;
    }

    public static Map<String, Object> blocklist(BlocklistStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sources", status.sources());
        json.put("ipv4Ranges", status.ipv4Ranges());
        json.put("ipv6Ranges", status.ipv6Ranges());
        json.put("loadedAt", orNull(status.loadedAt()));
        json.put("linesRead", status.linesRead());
        json.put("linesSkipped", status.linesSkipped());
        json.put("lastError", orNull(status.lastError()));
        json.put("refused", status.refused());
        return json;
    }

    public static Map<String, Object> portMapping(PortMappingStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocol", orNull(status.protocol()));
        json.put("gateway", orNull(status.gateway()));
        json.put("externalAddress", orNull(status.externalAddress()));
        json.put("mappings", status.mappings());
        json.put("renewAt", orNull(status.renewAt()));
        json.put("lastError", orNull(status.lastError()));
        return json;
    }

    private static String orNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
