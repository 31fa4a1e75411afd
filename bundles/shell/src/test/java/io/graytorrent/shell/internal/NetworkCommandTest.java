package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.graytorrent.api.json.NetworkJson;
import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.testkit.Unit;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Unit
class NetworkCommandTest {

    @Test
    void aMissingInterfaceAndAProxySayWhatIsKeptOff() {
        NetworkRoute route = NetworkRoute.of("", "gt-missing0", "socks5://127.0.0.1:1080", "alice", "s3cret", false);
        String shown = NetworkCommand.view(route, "required");
        assertEquals(String.join("\n",
                "bound to:     interface gt-missing0",
                "state:        interface gt-missing0 is missing; nothing is sent until it returns",
                "proxy:        SOCKS5 127.0.0.1:1080 as alice, peers, http trackers and web seeds",
                "uTP:          off: UDP cannot go through the SOCKS5 proxy 127.0.0.1:1080 (UDP ASSOCIATE is not supported)"
                        + " and is not sent around it",
                "DHT:          off: UDP cannot go through the SOCKS5 proxy 127.0.0.1:1080 (UDP ASSOCIATE is not supported)"
                        + " and is not sent around it; set proxyPeerConnectionsOnly=true to send it directly",
                "udp trackers: off: UDP cannot go through the SOCKS5 proxy 127.0.0.1:1080 (UDP ASSOCIATE is not supported)"
                        + " and is not sent around it; set proxyPeerConnectionsOnly=true to send it directly",
                "encryption:   required: RC4 only, both ways", ""), shown);
        assertFalse(shown.contains("s3cret"));
        assertFalse(NetworkJson.network(route, "required").toString().contains("s3cret"));
    }

    @Test
    void theDefaultRouteSendsEverythingByAnyInterface() {
        assertEquals(String.join("\n", "bound to:     any interface", "state:        up", "proxy:        none",
                "uTP:          on", "DHT:          on", "udp trackers: on",
                "encryption:   preferred: dial encrypted and fall back to plaintext, accept both", ""),
                NetworkCommand.view(NetworkRoute.DIRECT, "preferred"));
        Map<String, Object> json = NetworkJson.network(NetworkRoute.of("", "", "127.0.0.1:1080", "", "", true), "disabled");
        assertEquals("127.0.0.1:1080", json.get("proxy"));
        assertEquals(true, json.get("proxyPeerConnectionsOnly"));
        assertEquals(null, ((Map<?, ?>) json.get("udpOff")).get("dht"));
        assertEquals("disabled", json.get("encryption"));
    }
}
