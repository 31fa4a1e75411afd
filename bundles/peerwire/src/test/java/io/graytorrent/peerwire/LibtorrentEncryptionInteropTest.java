package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Interop;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Message Stream Encryption against real libtorrent on 127.0.0.1, with libtorrent's own peer
 * flags as the witness that a connection really is RC4: a seed that forces RC4 serves us the whole
 * torrent (our default policy and {@code required}); a leecher forcing RC4 downloads everything
 * from us under {@code required}; a plaintext-only leecher cannot connect to us then.
 */
@Timeout(90)
@Interop
class LibtorrentEncryptionInteropTest {
    private static final int PIECE_LENGTH = LibtorrentFixture.PIECE_LENGTH;
    private static final int BLOCK = 16 * 1024;
    private static final int SIZE = LibtorrentFixture.SIZE;
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path workdir;
    private LibtorrentFixture fixture;
    private PeerWire wire;

    @AfterEach
    void stopAll() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Our network under {@code policy}, serving the fixture's torrent to {@code listener}. */
    private PeerWire ours(EncryptionPolicy policy, PeerListener listener) throws Exception {
        TorrentEndpoint endpoint = new TorrentEndpoint(fixture.infoHash, fixture.pieces, listener);
        wire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0).withEncryption(policy),
                new OneTorrent(endpoint), new ExtensionRegistry());
        return wire;
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionPolicy.class, names = {"PREFERRED", "REQUIRED"})
    void weDownloadEverythingFromASeedThatForcesRc4(EncryptionPolicy policy) throws Exception {
        fixture = new LibtorrentFixture(workdir, "seed", "rc4");
        RecordingListener events = new RecordingListener();
        PeerConnection peer = ours(policy, events).connect(new InetSocketAddress("127.0.0.1", fixture.port()),
                new TorrentEndpoint(fixture.infoHash, fixture.pieces, events)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(PeerEncryption.RC4, peer.encryption());
        assertEquals(List.of("rc4"), encryptionSeenByLibtorrent());

        peer.send(PeerMessage.Interested.INSTANCE);
        events.nextMessage(PeerMessage.Unchoke.class, WAIT);
        int requested = 0;
        for (long at = 0; at < SIZE; at += BLOCK) {
            int piece = (int) (at / PIECE_LENGTH);
            int offset = (int) (at % PIECE_LENGTH);
            peer.send(new PeerMessage.Request(piece, offset, (int) Math.min(BLOCK, SIZE - at)));
            requested++;
        }
        byte[] received = new byte[SIZE];
        for (int i = 0; i < requested; i++) {
            PeerMessage.Piece block = events.nextMessage(PeerMessage.Piece.class, WAIT);
            try {
                byte[] data = ByteBufUtil.getBytes(block.data());
                System.arraycopy(data, 0, received, block.piece() * PIECE_LENGTH + block.offset(), data.length);
            } finally {
                block.data().release();
            }
        }
        assertArrayEquals(fixture.payload, received, "every block, decrypted");
        assertEquals(SIZE, peer.stats().payloadDownloaded());
    }

    @Test
    void aLeecherThatForcesRc4DownloadsEverythingFromUsWhenWeRequireIt() throws Exception {
        fixture = new LibtorrentFixture(workdir, "leech", "rc4");
        FileUploader uploader = new FileUploader(PIECE_LENGTH);
        uploader.unchokeAllowed = new CompletableFuture<>();
        ours(EncryptionPolicy.REQUIRED, uploader);
        try (FileChannel file = FileChannel.open(fixture.payloadFile, StandardOpenOption.READ)) {
            uploader.file = file;
            fixture.command("connect " + wire.listenAddress().getPort(), "ok");
            // libtorrent drops the connection once it is a seed too: look at it before the transfer,
            // once both handshakes are done (libtorrent lists a peer before its flags are known)
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (uploader.peer == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> seen = encryptionSeenByLibtorrent();
            while (!seen.equals(List.of("rc4")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                seen = encryptionSeenByLibtorrent();
            }
            assertEquals(List.of("rc4"), seen);
            uploader.unchokeAllowed.complete(null);
            String status = fixture.awaitSeeding(WAIT);
            assertTrue(status.startsWith("status pieces=" + fixture.pieces + " seeding=True"),
                    "libtorrent verified every piece: " + status);
            assertEquals(PeerEncryption.RC4, uploader.peer.encryption());
        }
    }

    @Test
    void aPlaintextOnlyLeecherCannotConnectWhenWeRequireRc4() throws Exception {
        fixture = new LibtorrentFixture(workdir, "leech", "disabled");
        FileUploader uploader = new FileUploader(PIECE_LENGTH);
        ours(EncryptionPolicy.REQUIRED, uploader);
        fixture.command("connect " + wire.listenAddress().getPort(), "ok");
        long deadline = System.nanoTime() + WAIT.toNanos();
        int disconnects = 0;
        while (disconnects == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            disconnects = Integer.parseInt(fixture.command("disconnects", null).get(0).split(" ")[1]);
        }
        assertTrue(disconnects > 0, "libtorrent saw its connection refused");
        assertNull(uploader.peer, "no BitTorrent connection on our side");
        assertEquals(List.of(), encryptionSeenByLibtorrent());
    }

    /** The encryption libtorrent reports for each of its peers. */
    private List<String> encryptionSeenByLibtorrent() throws Exception {
        return fixture.command("peers", "end").stream()
                .map(line -> Arrays.stream(line.split(" ")).filter(f -> f.startsWith("encryption="))
                        .findFirst().orElse("encryption=?").substring("encryption=".length()))
                .toList();
    }
}
