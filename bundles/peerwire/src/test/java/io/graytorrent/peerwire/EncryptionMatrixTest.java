package io.graytorrent.peerwire;

import static io.graytorrent.peerwire.EncryptionPolicy.DISABLED;
import static io.graytorrent.peerwire.EncryptionPolicy.ENABLED;
import static io.graytorrent.peerwire.EncryptionPolicy.PREFERRED;
import static io.graytorrent.peerwire.EncryptionPolicy.REQUIRED;
import static io.graytorrent.peerwire.PeerEncryption.MSE_PLAINTEXT;
import static io.graytorrent.peerwire.PeerEncryption.PLAINTEXT;
import static io.graytorrent.peerwire.PeerEncryption.RC4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.InfoHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of encryption policies, one of our peer wires dialling another on 127.0.0.1: which
 * pairs connect, and with what, including the one fallback dial of {@code enabled} and
 * {@code preferred}. Then a message each way proves the stream after the handshake.
 */
@Timeout(60)
class EncryptionMatrixTest {
    private static final InfoHash TORRENT = InfoHash.parse("5a".repeat(20));
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Rows dial, columns accept; null: no connection. */
    private static final Map<EncryptionPolicy, List<PeerEncryption>> EXPECTED = Map.of(
            DISABLED, nulls(PLAINTEXT, PLAINTEXT, PLAINTEXT, null),
            ENABLED, nulls(PLAINTEXT, PLAINTEXT, PLAINTEXT, RC4),
            PREFERRED, nulls(PLAINTEXT, MSE_PLAINTEXT, RC4, RC4),
            REQUIRED, nulls(null, RC4, RC4, RC4));

    private final List<PeerWire> wires = new ArrayList<>();

    private static List<PeerEncryption> nulls(PeerEncryption... results) {
        return java.util.Arrays.asList(results);
    }

    static Stream<Arguments> pairs() {
        return Stream.of(EncryptionPolicy.values()).flatMap(dialer -> Stream.of(EncryptionPolicy.values())
                .map(acceptor -> Arguments.of(dialer, acceptor, EXPECTED.get(dialer).get(acceptor.ordinal()))));
    }

    @AfterEach
    void closeAll() {
        wires.forEach(PeerWire::close);
    }

    private PeerWire wire(EncryptionPolicy policy, TorrentLookup lookup) throws Exception {
        PeerWireSettings settings = PeerWireSettings.defaults().listeningOn("127.0.0.1", 0).withEncryption(policy);
        PeerWire wire = PeerWire.start(new PeerWireSettings(settings.bindAddress(), 0, 0, Duration.ofSeconds(2),
                Duration.ofSeconds(3), settings.idleTimeout(), settings.keepAliveInterval(), 8, 65536, 250, "matrix",
                1, policy), lookup, new ExtensionRegistry());
        wires.add(wire);
        return wire;
    }

    @ParameterizedTest(name = "{0} dials {1}: {2}")
    @MethodSource("pairs")
    void connectsAsThePoliciesAllow(EncryptionPolicy dialer, EncryptionPolicy acceptor, PeerEncryption expected)
            throws Exception {
        RecordingListener accepted = new RecordingListener();
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, 8, accepted);
        PeerWire server = wire(acceptor, new OneTorrent(endpoint));
        PeerWire client = wire(dialer, hash -> Optional.empty());
        RecordingListener dialled = new RecordingListener();
        var attempt = client.connect(server.listenAddress(), new TorrentEndpoint(TORRENT, 8, dialled));
        if (expected == null) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(10, TimeUnit.SECONDS));
            assertInstanceOf(PeerConnectException.class, e.getCause());
            return;
        }
        PeerConnection ours = attempt.get(10, TimeUnit.SECONDS);
        PeerConnection theirs = accepted.next(RecordingListener.Connected.class, WAIT).peer();
        assertEquals(expected, ours.encryption());
        assertEquals(expected, theirs.encryption());
        ours.send(new PeerMessage.Have(3));
        assertEquals(new PeerMessage.Have(3), accepted.nextMessage(PeerMessage.Have.class, WAIT));
        theirs.send(new PeerMessage.Have(5));
        assertEquals(new PeerMessage.Have(5), dialled.nextMessage(PeerMessage.Have.class, WAIT));
    }
}
