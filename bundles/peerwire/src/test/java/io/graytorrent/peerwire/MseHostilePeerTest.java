package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Slow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that open an MSE handshake and stall, against our listening socket: the handshake timeout
 * ends a slow loris during the DH exchange, and stalled MSE openings count as connections owing
 * their handshake, so a flood of them drops the oldest rather than piling up.
 */
@Timeout(30)
@Slow
class MseHostilePeerTest {
    private static final InfoHash TORRENT = InfoHash.parse("6b".repeat(20));
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private PeerWire listening(Duration handshakeTimeout, int maxHalfOpen) throws Exception {
        PeerWireSettings d = PeerWireSettings.defaults();
        PeerWire wire = PeerWire.start(new PeerWireSettings("127.0.0.1", 0, 0, d.connectTimeout(), handshakeTimeout,
                d.idleTimeout(), d.keepAliveInterval(), maxHalfOpen, d.maxExtendedPayload(), d.requestQueueLength(),
                "hostile-test", 1, EncryptionPolicy.PREFERRED),
                new OneTorrent(new TorrentEndpoint(TORRENT, 4, new RecordingListener())), new ExtensionRegistry());
        toClose.add(wire);
        return wire;
    }

    private ScriptedPeer raw(PeerWire target) throws Exception {
        ScriptedPeer peer = ScriptedPeer.connect(target.listenAddress());
        toClose.add(peer);
        return peer;
    }

    @Test
    void aSlowLorisDuringTheKeyExchangeIsClosedByTheHandshakeTimeout() throws Exception {
        PeerWire wire = listening(Duration.ofMillis(500), 8);
        ScriptedPeer loris = raw(wire);
        loris.write(new byte[] {0x55, 1, 2, 3}); // the start of a DH key, then nothing
        Duration open = loris.awaitClosed(WAIT);
        assertTrue(open.compareTo(Duration.ofMillis(400)) > 0 && open.compareTo(Duration.ofSeconds(5)) < 0,
                "closed after " + open);
    }

    @Test
    void stalledMseOpeningsCountAgainstTheHalfOpenLimit() throws Exception {
        PeerWire wire = listening(Duration.ofSeconds(20), 2);
        List<ScriptedPeer> stalled = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ScriptedPeer peer = raw(wire);
            peer.write(new byte[] {0x55, 1, 2, 3});
            stalled.add(peer);
            Thread.sleep(200); // accepted in this order
        }
        Duration open = stalled.get(0).awaitClosed(WAIT);
        assertTrue(open.compareTo(Duration.ofSeconds(5)) < 0, "dropped after " + open + ", not the handshake timeout");
        // the newest still waits for the rest of its key
        assertThrows(AssertionError.class, () -> stalled.get(2).awaitClosed(Duration.ofMillis(300)));
    }
}
