package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each way an outgoing connection can fail before its handshake, as the reason the dialler hears. */
@Timeout(30)
@Unit
class DialFailureTest {
    private static final InfoHash TORRENT = InfoHash.parse("44".repeat(20));
    private static final int PIECES = 8;

    /** What the scripted listener does with a connection once it has read our handshake. */
    private interface Behaviour {
        void afterOurHandshake(Socket socket) throws IOException;
    }

    private PeerWire wire;

    @BeforeEach
    void startWire() throws IOException {
        PeerWireSettings settings = new PeerWireSettings("127.0.0.1", 0, 0, Duration.ofSeconds(2),
                Duration.ofMillis(300), Duration.ofSeconds(30), Duration.ofSeconds(10), 8, 64 * 1024, 250,
                "graytorrent-test", 1).withEncryption(EncryptionPolicy.DISABLED); // the plaintext handshake's failures
        wire = PeerWire.start(settings, hash -> Optional.empty(), new ExtensionRegistry());
    }

    @AfterEach
    void stopWire() {
        wire.close();
    }

    @Test
    void aPeerThatClosesAfterOurHandshake() throws Exception {
        assertEquals(PeerConnectException.Reason.CLOSED, failure(Socket::close));
    }

    @Test
    void aPeerThatResetsTheConnection() throws Exception {
        assertEquals(PeerConnectException.Reason.RESET, failure(socket -> {
            socket.setSoLinger(true, 0); // close sends RST
            socket.close();
        }));
    }

    @Test
    void aPeerThatNeverAnswers() throws Exception {
        assertEquals(PeerConnectException.Reason.TIMEOUT, failure(socket -> socket.getInputStream().read()));
    }

    @Test
    void somethingThatIsNotBitTorrent() throws Exception {
        assertEquals(PeerConnectException.Reason.NOT_BITTORRENT, failure(socket ->
                socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void aPeerOfAnotherTorrent() throws Exception {
        assertEquals(PeerConnectException.Reason.WRONG_INFOHASH, failure(socket -> socket.getOutputStream().write(
                ScriptedPeer.handshakeBytes(InfoHash.parse("55".repeat(20)).toBytes(), Capabilities.NONE.toReserved(),
                        PeerId.generate().toBytes()))));
    }

    @Test
    void nothingListening() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        assertEquals(PeerConnectException.Reason.UNREACHABLE, reasonOf(wire.connect(closed, endpoint())));
    }

    /** Dials a scripted listener that reads our handshake and then behaves so; the reason the dial fails with. */
    private PeerConnectException.Reason failure(Behaviour behaviour) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<PeerConnection> attempt = wire.connect(
                    new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), endpoint());
            try (Socket socket = listener.accept()) {
                socket.getInputStream().readNBytes(Handshake.LENGTH);
                behaviour.afterOurHandshake(socket);
                return reasonOf(attempt);
            }
        }
    }

    private static PeerConnectException.Reason reasonOf(CompletableFuture<PeerConnection> attempt) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(PeerConnectException.class, e.getCause()).reason();
    }

    private static TorrentEndpoint endpoint() {
        return new TorrentEndpoint(TORRENT, PIECES, new RecordingListener());
    }
}
