package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Components on loopback sockets: joining, saving their nodes, and finding each other's torrents. */
@Timeout(60)
@Unit
class DhtComponentTest {
    private static final InfoHash INFO_HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path state;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void bootstrapNodesWrittenCommaSeparatedInOneValueAreEachJoined() {
        assertEquals(List.of("a.example:6881", "127.0.0.1:7000", "[::1]:7001"),
                DhtComponent.bootstrapNodes(new String[] {"a.example:6881, 127.0.0.1:7000,", "[::1]:7001"}));
        assertEquals(List.of(), DhtComponent.bootstrapNodes(new String[] {" , "}));
    }

    @Test
    void aTorrentAnnouncedByOneNodeIsFoundByAnotherAndGarbageBootstrapNodesAreLeftOut() throws Exception {
        DhtComponent a = component("127.0.12.1", "a", List.of());
        String aNode = "127.0.12.1:" + a.socket.localAddress().getPort();
        DhtComponent b = component("127.0.13.1", "b", List.of(aNode, "no-such-host.invalid:1", "garbage"));
        DhtComponent c = component("127.0.14.1", "c", List.of(aNode));
        Await.until("b and c joined through a", LIMIT,
                () -> a.status().ipv4().nodes() == 2 && c.status().ipv4().nodes() >= 1);

        int aPort = a.socket.localAddress().getPort();
        a.start(new RunningTorrent(INFO_HASH, false, aPort, true), peer -> { });
        Await.until("a announced to b and c", LIMIT,
                () -> b.status().storedPeers() == 1 && c.status().storedPeers() == 1);
        assertTrue(a.status().announcesSent() >= 2, "its counters reach the status: " + a.status());
        assertTrue(a.status().lookupsDone() >= 1, a.status().toString());
        assertEquals(0, a.status().announcesQueued(), "nothing held back on an idle loopback");
        assertEquals(0, a.status().announcesGivenUp());

        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        c.start(new RunningTorrent(INFO_HASH, false, 6881, false), found::add);
        Await.until("c found a's implied port through b", LIMIT,
                () -> found.contains(new InetSocketAddress("127.0.12.1", aPort)));
        assertEquals(1, c.status().torrents());
        assertTrue(c.status().lookupsStarted() >= 1);
    }

    @Test
    void theGoodNodesSavedAtStopAreJoinedThroughAtTheNextStartWithTheSameId() throws Exception {
        DhtComponent a = component("127.0.15.1", "a", List.of());
        DhtComponent b = component("127.0.16.1", "b", List.of("127.0.15.1:" + a.socket.localAddress().getPort()));
        Await.until("b knows a", LIMIT, () -> b.status().ipv4().good() == 1);
        String id = b.status().nodeId();
        b.deactivate(); // and once more after the test, which does no harm
        assertTrue(Files.readString(state.resolve("b").resolve(NodesFile.NAME)).contains("self " + id));

        DhtComponent again = component("127.0.16.1", "b", List.of());
        assertEquals(id, again.status().nodeId());
        Await.until("b rejoined through the saved node", LIMIT, () -> again.status().ipv4().nodes() == 1);
    }

    private DhtComponent component(String ip, String name, List<String> bootstrap) throws Exception {
        ChannelUdpSocket socket = new ChannelUdpSocket(new InetSocketAddress(ip, 0));
        open.add(socket);
        DhtComponent component = new DhtComponent();
        // handed the socket first: the node pings its bootstrap nodes as it starts, and an answer
        // arriving before the socket knows its handler would be dropped
        socket.handTo(component);
        component.start(socket, DhtSettings.DEFAULT, state.resolve(name).resolve(NodesFile.NAME), bootstrap);
        open.add(component::deactivate);
        return component;
    }

}
