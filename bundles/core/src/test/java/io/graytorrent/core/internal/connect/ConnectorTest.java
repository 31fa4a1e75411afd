package io.graytorrent.core.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.peer.BanList;
import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.testkit.Unit;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Which candidates a torrent dials when it has fewer free slots than candidates due: BEP 40's order. */
@Unit
class ConnectorTest {
    private static final InetSocketAddress LOW = new InetSocketAddress("123.213.32.234", 6881); // 0x99568189
    private static final InetSocketAddress HIGH = new InetSocketAddress("98.76.54.32", 6881); // 0xec2d7224
    private static final InetSocketAddress UNRANKED = new InetSocketAddress("::1", 7000); // no own IPv6: 0

    private final List<InetSocketAddress> dialled = new ArrayList<>();
    private final OwnAddresses own = new OwnAddresses(() -> new InetSocketAddress(6881));

    @Test
    void withRoomForAllEveryCandidateIsDialledInTheOrderLearnt() {
        connector(50).dial(List.of());
        assertEquals(List.of(UNRANKED, LOW, HIGH), dialled);
    }

    @Test
    void withFewerSlotsTheHighestCanonicalPriorityGoesFirst() throws Exception {
        own.seenAs(InetAddress.getByName("123.213.32.10")); // a peer's yourip: BEP 40's example client
        connector(2).dial(List.of());
        assertEquals(List.of(HIGH, LOW), dialled);
    }

    @Test
    void aDialNotOfTheTorrentsChoosingPassesItsAdmission() throws Exception {
        Connector connector = connector(1);
        InetSocketAddress punched = new InetSocketAddress("10.1.2.3", 6881);
        List<InetSocketAddress> run = new ArrayList<>();
        CompletableFuture<PeerConnection> pending = new CompletableFuture<>();

        CompletableFuture<PeerConnection> admitted = connector.dialNow(punched, List.of(), () -> {
            run.add(punched);
            return pending;
        });
        assertEquals(List.of(punched), run, "room under the limit of 1: dialled");
        assertSame(pending, admitted);

        connector.dial(List.of());
        assertEquals(List.of(), dialled, "the holepunch's dial holds the torrent's one slot: no candidate dialled");
        assertRefused(connector.dialNow(new InetSocketAddress("10.1.2.4", 6881), List.of(), () -> {
            throw new AssertionError("dialled past the limit");
        }), PeerConnectException.Reason.LIMIT);

        pending.completeExceptionally(new PeerConnectException("no answer"));
        connector.dial(List.of());
        assertEquals(List.of(UNRANKED), dialled, "the slot is free again once the dial is done");
    }

    @Test
    void aDialOfOurselvesOrOfAPeerBeingDialledIsRefused() {
        Connector connector = connector(50);
        connector.dial(List.of());
        assertRefused(connector.dialNow(LOW, List.of(), () -> {
            throw new AssertionError("dialled twice");
        }), PeerConnectException.Reason.OTHER);
        assertRefused(connector.dialNow(new InetSocketAddress("127.0.0.1", 6881), List.of(), () -> {
            throw new AssertionError("dialled ourselves");
        }), PeerConnectException.Reason.OTHER);
    }

    private static void assertRefused(CompletableFuture<PeerConnection> dial, PeerConnectException.Reason reason) {
        ExecutionException failure = assertThrows(ExecutionException.class, dial::get);
        assertEquals(reason, ((PeerConnectException) failure.getCause()).reason(), failure.getCause().getMessage());
    }

    private Connector connector(int perTorrentLimit) {
        EngineSettings defaults = EngineSettings.defaults(Path.of("downloads"));
        SessionSettings session = defaults.session();
        EngineSettings settings = defaults.with(new SessionSettings(session.downloadRateLimit(), session.uploadRateLimit(),
                session.maxConnections(), perTorrentLimit, session.defaultSaveDirectory()));
        Admission admission = new Admission(() -> settings, new BanList(3, 16), PeerId::generate, own);
        Connector connector = new Connector(admission, new RecordingWire(), Clock.SYSTEM, () -> null, Runnable::run, List.of());
        for (InetSocketAddress candidate : List.of(UNRANKED, LOW, HIGH)) {
            connector.add(candidate, PeerOrigin.LSD);
        }
        return connector;
    }

    /** Records each dial and leaves it pending. */
    private final class RecordingWire implements PeerWire {
        @Override
        public CompletableFuture<PeerConnection> connect(InetSocketAddress address, TorrentEndpoint torrent) {
            dialled.add(address);
            return new CompletableFuture<>();
        }

        @Override
        public PeerId localPeerId() {
            return PeerId.generate();
        }

        @Override
        public InetSocketAddress listenAddress() {
            return new InetSocketAddress(6881);
        }

        @Override
        public void accept(PeerTransport transport, Channel channel, InetSocketAddress remote) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int requestQueueLength() {
            return 500;
        }

        @Override
        public int halfOpenConnections() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
