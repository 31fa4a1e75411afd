package io.graytorrent.api.json;

import io.graytorrent.api.DhtStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** The DHT node's status as a JSON-ready map ({@code gray dht --json}, {@code GET /api/v1/dht}). */
public final class DhtJson {
    private DhtJson() {
    }

    public static Map<String, Object> dht(DhtStatus dht) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nodeId", dht.nodeId());
        json.put("externalAddress", dht.externalAddress().isEmpty() ? null : dht.externalAddress());
        json.put("ipv4", table(dht.ipv4()));
        json.put("ipv6", table(dht.ipv6()));
        json.put("storedInfoHashes", dht.storedInfoHashes());
        json.put("storedPeers", dht.storedPeers());
        json.put("torrents", dht.torrents());
        json.put("lookupsRunning", dht.lookupsRunning());
        json.put("lookupsStarted", dht.lookupsStarted());
        json.put("packetsIn", dht.packetsIn());
        json.put("packetsOut", dht.packetsOut());
        json.put("bytesOut", dht.bytesOut());
        json.put("droppedIn", dht.droppedIn());
        json.put("droppedOut", dht.droppedOut());
        json.put("malformedIn", dht.malformedIn());
        json.put("unexpectedIn", dht.unexpectedIn());
        json.put("lookupsDone", dht.lookupsDone());
        json.put("announcesSent", dht.announcesSent());
        json.put("announcesQueued", dht.announcesQueued());
        json.put("announcesGivenUp", dht.announcesGivenUp());
        return json;
    }

    private static Map<String, Object> table(DhtStatus.Table table) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nodes", table.nodes());
        json.put("good", table.good());
        json.put("questionable", table.questionable());
        json.put("buckets", table.buckets());
        return json;
    }
}
