package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An encrypted dial for a hybrid torrent (BEP 52) on 127.0.0.1, between two of our peer wires: the MSE stream key is
 * the truncated v2 hash, so a peer that knows it answers under it (the connection is a v2 one from the start), and a
 * peer that knows only the v1 hash, which drops that MSE handshake, is dialled again under the v1 key.
 */
@Timeout(30)
@Unit
class HybridEncryptionTest {
    private static final InfoHash V1 = InfoHash.parse("11".repeat(20));
    private static final InfoHash V2 = InfoHash.parse("22".repeat(20));
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<PeerWire> wires = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    @AfterEach
    void closeAll() {
        wires.forEach(PeerWire::close);
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionPolicy.class, names = {"PREFERRED", "REQUIRED"})
    void aPeerThatKnowsTheV2HashIsReachedUnderItEncrypted(EncryptionPolicy policy) throws Exception {
        RecordingListener theirs = new RecordingListener();
        TorrentEndpoint hybrid = new TorrentEndpoint(V1, 8, false, theirs, Optional.of(V2));
        PeerWire server = wire(EncryptionPolicy.REQUIRED, counting(hybrid, V1, V2));

        PeerConnection ours = dialHybrid(policy, server.listenAddress());
        PeerConnection answered = theirs.next(RecordingListener.Connected.class, WAIT).peer();

        assertEquals(V2, ours.handshakeInfoHash(), "a v2 connection: hash requests may go out on it");
        assertEquals(V2, answered.handshakeInfoHash(), "the MSE responder found the hybrid by its v2 stream key");
        assertEquals(PeerEncryption.RC4, ours.encryption());
        assertEquals(1, accepted.get(), "one dial");
        ours.send(new PeerMessage.Have(3));
        assertEquals(new PeerMessage.Have(3), theirs.nextMessage(PeerMessage.Have.class, WAIT), "both keyed alike");
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionPolicy.class, names = {"PREFERRED", "REQUIRED"})
    void aPeerThatKnowsOnlyTheV1HashIsDialledAgainUnderIt(EncryptionPolicy policy) throws Exception {
        RecordingListener theirs = new RecordingListener();
        TorrentEndpoint v1Only = new TorrentEndpoint(V1, 8, false, theirs);
        PeerWire server = wire(EncryptionPolicy.REQUIRED, counting(v1Only, V1));

        PeerConnection ours = dialHybrid(policy, server.listenAddress());

        assertEquals(V1, ours.handshakeInfoHash());
        assertEquals(PeerEncryption.RC4, ours.encryption(), "the v1 stream key, still encrypted");
        assertEquals(2, accepted.get(), "the v2 stream key's dial, dropped, then the v1 one's");
        assertEquals(V1, theirs.next(RecordingListener.Connected.class, WAIT).peer().handshakeInfoHash());
    }

    private PeerConnection dialHybrid(EncryptionPolicy policy, InetSocketAddress server) throws Exception {
        PeerWire client = wire(policy, hash -> Optional.empty());
        TorrentEndpoint ours = new TorrentEndpoint(V1, 8, false, new RecordingListener(), Optional.of(V2));
        return client.connect(server, ours).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** {@code endpoint} under {@code hashes}, counting the connections accepted. */
    private TorrentLookup counting(TorrentEndpoint endpoint, InfoHash... hashes) {
        List<InfoHash> names = List.of(hashes);
        return new TorrentLookup() {
            @Override
            public Optional<TorrentEndpoint> find(InfoHash infoHash) {
                return names.contains(infoHash) ? Optional.of(endpoint) : Optional.empty();
            }

            @Override
            public Collection<InfoHash> infoHashes() {
                return names;
            }

            @Override
            public boolean admits(InetSocketAddress remote) {
                accepted.incrementAndGet();
                return true;
            }
        };
    }

    private PeerWire wire(EncryptionPolicy policy, TorrentLookup lookup) throws Exception {
        PeerWire wire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0).withEncryption(policy),
                lookup, new ExtensionRegistry());
        wires.add(wire);
        return wire;
    }
}
