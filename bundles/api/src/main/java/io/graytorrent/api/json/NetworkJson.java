package io.graytorrent.api.json;

import io.graytorrent.api.BlocklistStatus;
import io.graytorrent.api.PortMappingStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IP blocklist's and the port mapping's status as JSON-ready maps ({@code gray blocklist --json},
 * {@code gray portmap --json}, {@code GET /api/v1/blocklist}, {@code GET /api/v1/portmap}); "" becomes null.
 */
public final class NetworkJson {
    private NetworkJson() {
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
