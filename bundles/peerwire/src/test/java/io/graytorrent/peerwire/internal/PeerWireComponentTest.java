package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.testkit.Configurations;
import io.graytorrent.testkit.Unit;
import io.netty.channel.Channel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The DS wrapper driven by hand, as the framework would: configuration, references, lifecycle. */
@Timeout(20)
@Unit
class PeerWireComponentTest {
    private static final InfoHash TORRENT = InfoHash.parse("44".repeat(20));

    /** The configuration's annotation defaults, with the given values overriding them. */
    private static PeerWireConfiguration config(Map<String, Object> values) {
        return Configurations.of(PeerWireConfiguration.class, values);
    }

    /** Keeps only the peer's extension handshake. */
    private static final class HandshakeCatcher implements PeerListener {
        final CompletableFuture<ExtensionHandshake> handshake = new CompletableFuture<>();

        @Override
        public void onConnected(PeerConnection peer) {
        }

        @Override
        public void onMessage(PeerConnection peer, PeerMessage message) {
        }

        @Override
        public void onExtensionHandshake(PeerConnection peer, ExtensionHandshake received) {
            handshake.complete(received);
        }

        @Override
        public void onClosed(PeerConnection peer, CloseReason reason) {
        }
    }

    @Test
    void routesThroughTheBoundLookupAndAnnouncesBoundExtensions() throws Exception {
        PeerWireComponent component = new PeerWireComponent();
        component.addExtension(new ExtensionMessageHandler() {
            @Override
            public String name() {
                return "ut_metadata";
            }

            @Override
            public void onMessage(PeerConnection peer, byte[] payload) {
            }
        });
        component.start(config(Map.of("bindAddress", "127.0.0.1", "port", 6881)), "0");
        try (PeerWire dialer = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.empty(), new ExtensionRegistry())) {
            HandshakeCatcher listener = new HandshakeCatcher();
            TorrentEndpoint ours = new TorrentEndpoint(TORRENT, 8, listener);
            CompletableFuture<PeerConnection> noLookupYet = dialer.connect(component.listenAddress(), ours);
            assertThrows(ExecutionException.class, () -> noLookupYet.get(5, TimeUnit.SECONDS));

            component.setTorrentLookup(hash -> Optional.of(new TorrentEndpoint(hash, 8, new HandshakeCatcher())));
            PeerConnection peer = dialer.connect(component.listenAddress(), ours).get(5, TimeUnit.SECONDS);
            assertEquals(component.localPeerId(), peer.remotePeerId());
            assertEquals(Map.of("ut_metadata", 1), listener.handshake.get(5, TimeUnit.SECONDS).messageIds());
            assertTrue(peer.isOpen());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aMissingBoundInterfaceListensOnLoopbackOnlyRefusesDialsAndSaysWhy() throws Exception {
        PeerWireComponent component = new PeerWireComponent();
        component.start(config(Map.of("bindInterface", "gt-missing0", "port", 0)), "0");
        try {
            assertEquals(InetAddress.getLoopbackAddress(), component.listenAddress().getAddress());
            assertEquals(Optional.of("interface gt-missing0 is missing; nothing is sent until it returns"),
                    component.route().problem());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> component.connect(
                    new InetSocketAddress("127.0.0.1", 9), new TorrentEndpoint(TORRENT, 8, new HandshakeCatcher()))
                    .get(5, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("interface gt-missing0 is missing"),
                    refused.getCause().getMessage());
            // lo exists: the next watch moves nothing (its address is where we listen) and dials go by it
            component.modified(config(Map.of("bindInterface", "lo", "port", 0)));
            assertEquals(Optional.empty(), component.route().problem());
            assertEquals(InetAddress.getLoopbackAddress(), component.listenAddress().getAddress());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aNewEncryptionPolicyAppliesToTheNextConnectionOnTheSameSocket() throws Exception {
        PeerWireComponent component = new PeerWireComponent();
        component.setTorrentLookup(hash -> Optional.of(new TorrentEndpoint(hash, 8, new HandshakeCatcher())));
        component.start(config(Map.of("bindAddress", "127.0.0.1", "encryption", "required")), "0");
        try (PeerWire plaintextOnly = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0)
                .withEncryption(EncryptionPolicy.DISABLED), hash -> Optional.empty(), new ExtensionRegistry())) {
            TorrentEndpoint ours = new TorrentEndpoint(TORRENT, 8, new HandshakeCatcher());
            InetSocketAddress listening = component.listenAddress();
            CompletableFuture<PeerConnection> refused = plaintextOnly.connect(listening, ours);
            assertThrows(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));

            component.modified(config(Map.of("bindAddress", "127.0.0.1", "encryption", "enabled")));
            assertEquals(listening, component.listenAddress(), "the same socket");
            assertTrue(plaintextOnly.connect(listening, ours).get(5, TimeUnit.SECONDS).isOpen());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void anyOtherChangeKeepsTheConnectionsAndANewPortMovesTheListener() throws Exception {
        PeerWireComponent component = new PeerWireComponent();
        component.setTorrentLookup(hash -> Optional.of(new TorrentEndpoint(hash, 8, new HandshakeCatcher())));
        component.start(config(Map.of("bindAddress", "127.0.0.1")), null);
        try (PeerWire peer = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.empty(), new ExtensionRegistry())) {
            TorrentEndpoint ours = new TorrentEndpoint(TORRENT, 8, new HandshakeCatcher());
            InetSocketAddress before = component.listenAddress();
            PeerConnection established = peer.connect(before, ours).get(5, TimeUnit.SECONDS);

            int freePort;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                freePort = probe.getLocalPort();
            }
            component.modified(config(Map.of("bindAddress", "127.0.0.1", "port", freePort, "maxHalfOpen", 4,
                    "idleTimeoutSeconds", 300, "requestQueueLength", 250)));
            assertEquals(new InetSocketAddress("127.0.0.1", freePort), component.listenAddress(), "the listener moved");
            assertEquals(250, component.requestQueueLength(), "the new reqq for connections from now on");
            assertEquals(component.localPeerId(), peer.connect(component.listenAddress(), ours).get(5, TimeUnit.SECONDS)
                    .remotePeerId(), "the new port accepts, with the same peer id");
            assertThrows(ExecutionException.class, () -> peer.connect(before, ours).get(5, TimeUnit.SECONDS),
                    "the old port is closed");
            assertTrue(established.isOpen(), "the connection made before the change is still open");
        } finally {
            component.deactivate();
        }
    }

    /** A transport plugin whose peers never answer. */
    private static final class Unanswered implements PeerTransport {
        @Override
        public String name() {
            return "utp";
        }

        @Override
        public CompletableFuture<Channel> connect(InetSocketAddress address) {
            return CompletableFuture.failedFuture(new ConnectException("no answer"));
        }
    }

    @Test
    void aNewTransportOrderAppliesToTheNextConnectionOnTheSameSocketAndABadOneChangesNothing() throws Exception {
        PeerWireComponent component = new PeerWireComponent();
        component.addTransport(new Unanswered());
        component.start(config(Map.of("bindAddress", "127.0.0.1", "transports", "utp")), "0");
        try (PeerWire peer = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.of(new TorrentEndpoint(hash, 8, new HandshakeCatcher())), new ExtensionRegistry())) {
            TorrentEndpoint ours = new TorrentEndpoint(TORRENT, 8, new HandshakeCatcher());
            InetSocketAddress listening = component.listenAddress();
            ExecutionException unanswered = assertThrows(ExecutionException.class,
                    () -> component.connect(peer.listenAddress(), ours).get(5, TimeUnit.SECONDS));
            assertTrue(unanswered.getCause().getMessage().contains("over utp"), unanswered.getCause().getMessage());

            assertThrows(IllegalArgumentException.class,
                    () -> component.modified(config(Map.of("bindAddress", "127.0.0.1", "transports", "utp,,tcp"))));
            component.modified(config(Map.of("bindAddress", "127.0.0.1", "transports", "utp, tcp")));
            assertEquals(listening, component.listenAddress(), "the same socket");
            PeerConnection connection = component.connect(peer.listenAddress(), ours).get(5, TimeUnit.SECONDS);
            assertEquals("tcp", connection.transport());
        } finally {
            component.deactivate();
        }
    }
}
