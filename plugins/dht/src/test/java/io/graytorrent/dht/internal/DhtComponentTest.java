package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.testkit.Unit;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@Unit
class DhtComponentTest {

    @Test
    void offUnlessAPortIsConfigured() throws Exception {
        try (DhtComponent off = new DhtComponent(0, "0.0.0.0", List.of("127.0.0.1:1"))) {
            assertTrue(off.endpoint().isEmpty());
        }
    }

    @Test
    void twoComponentsOnLoopbackJoinThroughTheirBootstrapNodeAndReleaseTheirSockets() throws Exception {
        int port = freeUdpPort("127.0.12.1");
        try (DhtComponent first = new DhtComponent(port, "127.0.12.1", List.of());
                DhtComponent second = new DhtComponent(freeUdpPort("127.0.13.1"), "127.0.13.1",
                        List.of("127.0.12.1:" + port, "no-such-host.invalid:1", "garbage"))) {
            UdpDhtEndpoint endpoint = second.endpoint().orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (tableSize(endpoint) == 0) {
                if (System.nanoTime() > deadline) {
                    fail("the second node never learned the first");
                }
                TimeUnit.MILLISECONDS.sleep(50); // polling a condition, bounded by the deadline
            }
            assertEquals(1, tableSize(endpoint));
        }
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.12.1", port))) {
            assertTrue(again.isBound(), "the port is free again after deactivation");
        }
    }

    private static int tableSize(UdpDhtEndpoint endpoint) throws Exception {
        CompletableFuture<Integer> size = new CompletableFuture<>();
        endpoint.execute(() -> size.complete(endpoint.nodeForTheOwningThread().table(false).size()));
        return size.get(5, TimeUnit.SECONDS);
    }

    private static int freeUdpPort(String host) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0))) {
            return socket.getLocalPort();
        }
    }
}
