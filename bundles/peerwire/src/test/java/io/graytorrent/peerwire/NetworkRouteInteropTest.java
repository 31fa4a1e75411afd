package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.peerwire.internal.NettyPeerWire;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Microsocks;
import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our outgoing peer connections against a real libtorrent seed on 127.0.0.1, through a real SOCKS5
 * server (Debian's microsocks, RFC 1929 username/password, its outgoing side on 127.0.0.2) and from a
 * bound source address: libtorrent sees the proxy's address (in its peer list and in the {@code yourip}
 * it tells us), blocks arrive through it, and wrong credentials fail the dial cleanly without a
 * connection reaching the seed.
 */
@Timeout(60)
@Interop
class NetworkRouteInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path workdir;
    private LibtorrentFixture seed;
    private Microsocks proxy;
    private NettyPeerWire wire;
    private final RecordingListener events = new RecordingListener();

    private PeerConnection dialSeedVia(NetworkRoute route) throws Exception {
        seed = new LibtorrentFixture(workdir, "seed", "default");
        wire = NettyPeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0), hash -> Optional.empty(),
                new ExtensionRegistry());
        wire.route(route);
        return wire.connect(new InetSocketAddress("127.0.0.1", seed.port()),
                new TorrentEndpoint(seed.infoHash, seed.pieces, events)).get(15, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (seed != null) {
            seed.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void blocksComeThroughTheProxyAndTheSeedSeesTheProxysAddress() throws Exception {
        proxy = new Microsocks("gray", "torrent", workdir.resolve("socks"));
        PeerConnection peer = dialSeedVia(NetworkRoute.of("", "", proxy.url(), "gray", "torrent", false));
        assertEquals(new InetSocketAddress("127.0.0.1", seed.port()), peer.remoteAddress(), "the peer's, not the proxy's");
        assertSeenFrom(Microsocks.EXTERNAL, peer);
        downloadBlocks(peer);
    }

    @Test
    void wrongCredentialsFailTheDialAndReachNoPeer() throws Exception {
        proxy = new Microsocks("gray", "torrent", workdir.resolve("socks"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> dialSeedVia(NetworkRoute.of("", "", proxy.url(), "gray", "wrong", false)));
        PeerConnectException refused = assertInstanceOf(PeerConnectException.class, e.getCause());
        assertTrue(refused.getMessage().contains("SOCKS5 proxy 127.0.0.1:" + proxy.port), refused.getMessage());
        assertEquals(List.of(), seed.peers());
        assertEquals(0, wire.halfOpenConnections(), "the failed dial gave its half-open slot back");
    }

    @Test
    void aBoundAddressIsWhereOurConnectionsComeFrom() throws Exception {
        PeerConnection peer = dialSeedVia(NetworkRoute.of("127.0.0.3", "", "", "", "", false));
        assertSeenFrom("127.0.0.3", peer);
    }

    /** libtorrent lists us from {@code address} and tells us so in its extension handshake's {@code yourip}. */
    private void assertSeenFrom(String address, PeerConnection peer) throws Exception {
        ExtensionHandshake handshake = events.next(RecordingListener.ExtensionHandshakeReceived.class, WAIT).handshake();
        assertEquals(Optional.of(InetAddress.getByName(address)), handshake.yourIp());
        List<String> seen = Await.value("libtorrent lists our connection", WAIT, seed::peers, lines -> lines.size() == 1);
        assertTrue(seen.get(0).contains(" address=" + address + ":"), seen.toString());
        assertTrue(peer.outgoing());
    }

    private void downloadBlocks(PeerConnection peer) throws Exception {
        peer.send(PeerMessage.HaveNone.INSTANCE);
        peer.send(PeerMessage.Interested.INSTANCE);
        events.nextMessage(PeerMessage.Unchoke.class, WAIT);
        List<PeerMessage.Request> requests = List.of(new PeerMessage.Request(0, 0, 16384),
                new PeerMessage.Request(1, 16384, 16384));
        requests.forEach(peer::send);
        for (int i = 0; i < requests.size(); i++) {
            PeerMessage.Piece block = events.nextMessage(PeerMessage.Piece.class, WAIT);
            try {
                long start = (long) block.piece() * LibtorrentFixture.PIECE_LENGTH + block.offset();
                assertArrayEquals(Arrays.copyOfRange(seed.payload, (int) start, (int) start + 16384),
                        ByteBufUtil.getBytes(block.data()), "block " + block);
            } finally {
                block.data().release();
            }
        }
        assertEquals(2 * 16384, peer.stats().payloadDownloaded());
    }
}
