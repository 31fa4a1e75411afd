package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Microsocks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Announces through a real SOCKS5 server, Debian's microsocks (RFC 1929 username/password, its
 * outgoing side on 127.0.0.2), to the HTTP tracker of {@link HttpTrackerClientTest}: the tracker sees
 * the proxy's address; wrong credentials fail the announce with the proxy named and reach no tracker;
 * {@code proxyPeerConnectionsOnly} sends the announce direct.
 */
@Timeout(60)
@Interop
class HttpTrackerProxyInteropTest extends HttpTrackerClientTest {
    @TempDir
    Path workdir;
    private Microsocks proxy;
    private HttpTrackerClient client;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new Microsocks("gray", "torrent", workdir);
    }

    @AfterEach
    void stopProxy() throws Exception {
        if (client != null) {
            client.close();
        }
        proxy.close();
    }

    private HttpTrackerClient via(String password, boolean peerConnectionsOnly) {
        client = new HttpTrackerClient(Duration.ofSeconds(5), 4096, 2,
                NetworkRoute.of("", "", proxy.url(), "gray", password, peerConnectionsOnly));
        return client;
    }

    @Test
    void theAnnounceGoesThroughTheProxyAndTheTrackerSeesItsAddress() throws Exception {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), await(via("torrent", false)
                .announce(request("/announce"))).peers());
        assertEquals(InetAddress.getByName(Microsocks.EXTERNAL), sources.get(0).getAddress());
        // a redirect is followed through the proxy too
        await(client.announce(request("/moved/announce")));
        assertEquals(InetAddress.getByName(Microsocks.EXTERNAL), sources.get(1).getAddress());
    }

    @Test
    void wrongCredentialsFailTheAnnounceAndReachNoTracker() {
        String failure = failure(via("wrong", false).announce(request("/announce")));
        assertTrue(failure.startsWith("cannot reach 127.0.0.1 through the SOCKS5 proxy 127.0.0.1:" + proxy.port + ": "),
                failure);
        assertEquals(List.of(), sources);
    }

    @Test
    void peerConnectionsOnlyLeavesTheTrackerDirect() throws Exception {
        await(via("torrent", true).announce(request("/announce")));
        assertEquals(InetAddress.getLoopbackAddress(), sources.get(0).getAddress());
    }
}
