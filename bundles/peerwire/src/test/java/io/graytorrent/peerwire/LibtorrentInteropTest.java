package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our peer wire against a real libtorrent peer on 127.0.0.1 (Debian's python3-libtorrent): we dial
 * a libtorrent seed and it dials us, and a tiny loop here requests a few blocks after the unchoke;
 * then a libtorrent leecher downloads and hash-checks the whole torrent from our file uploads. The
 * real download and upload loops are the engine's.
 */
@Timeout(60)
@Interop
class LibtorrentInteropTest {
    private static final int PIECE_LENGTH = LibtorrentFixture.PIECE_LENGTH;
    private static final int SIZE = LibtorrentFixture.SIZE;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path workdir;
    private LibtorrentFixture fixture;
    private Map<String, String> ready;
    private InfoHash infoHash;
    private int pieces;
    private byte[] payload;
    private PeerWire wire;
    private final RecordingListener events = new RecordingListener();

    /**
     * Starts a libtorrent peer of a fresh torrent in {@code mode} (seed, or leech into an empty
     * directory) and our network, routing to {@code listener}.
     */
    private void start(String mode, PeerListener listener) throws Exception {
        fixture = new LibtorrentFixture(workdir, mode, "default");
        ready = fixture.ready;
        infoHash = fixture.infoHash;
        pieces = fixture.pieces;
        payload = fixture.payload;
        TorrentEndpoint endpoint = new TorrentEndpoint(infoHash, pieces, listener);
        wire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> hash.equals(infoHash) ? Optional.of(endpoint) : Optional.empty(), new ExtensionRegistry());
    }

    @AfterEach
    void stopAll() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void weDialLibtorrent() throws Exception {
        start("seed", events);
        int port = Integer.parseInt(ready.get("port"));
        PeerConnection peer = wire.connect(new InetSocketAddress("127.0.0.1", port),
                new TorrentEndpoint(infoHash, pieces, events)).get(10, TimeUnit.SECONDS);
        assertTrue(peer.outgoing());
        exchange(peer);
    }

    @Test
    void libtorrentDialsUs() throws Exception {
        start("seed", events);
        fixture.connect(wire.listenAddress().getPort());
        PeerConnection peer = events.next(RecordingListener.Connected.class, WAIT).peer();
        assertFalse(peer.outgoing());
        // BEP 10: only the side that dialled needs to say its listen port
        assertEquals(Integer.parseInt(ready.get("port")), exchange(peer).listenPort().getAsInt());
    }

    @Test
    void libtorrentDownloadsTheWholeTorrentFromUsAndVerifiesIt() throws Exception {
        FileUploader uploader = new FileUploader(PIECE_LENGTH);
        start("leech", uploader);
        try (FileChannel file = FileChannel.open(fixture.payloadFile, StandardOpenOption.READ)) {
            uploader.file = file;
            fixture.connect(wire.listenAddress().getPort());
            String status = fixture.awaitSeeding(WAIT);
            assertTrue(status.startsWith("status pieces=" + pieces + " seeding=True"), "libtorrent verified every piece: " + status);
            // a block counts once its write completes, which can come after libtorrent has it
            Await.until("every block counted uploaded", WAIT, () -> uploader.peer.stats().payloadUploaded() >= SIZE);
            assertEquals(SIZE, uploader.peer.stats().payloadUploaded());
        }
    }

    /** Availability, extension handshakes both ways, interest, unchoke and a few blocks. */
    private ExtensionHandshake exchange(PeerConnection peer) throws Exception {
        assertTrue(peer.remotePeerId().clientPrefix().startsWith("-LT"), peer.remotePeerId().clientPrefix());
        assertEquals(new Capabilities(true, true, false), peer.negotiated());
        peer.send(PeerMessage.HaveNone.INSTANCE);

        ExtensionHandshake handshake = events.next(RecordingListener.ExtensionHandshakeReceived.class, WAIT)
                .handshake();
        assertTrue(handshake.client().orElseThrow().startsWith("libtorrent"), handshake.client().toString());
        assertTrue(handshake.messageIds().containsKey("ut_metadata"), handshake.messageIds().toString());
        assertEquals(Long.parseLong(ready.get("metadata_size")), handshake.metadataSize().getAsLong());
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), handshake.yourIp());
        assertTrue(handshake.requestQueue().getAsInt() > 0);
        assertEquals(peer.remoteExtensionHandshake(), Optional.of(handshake));

        // a seed with the Fast extension says HAVE_ALL; a full BITFIELD means the same
        RecordingListener.Received availability = events.next(RecordingListener.Received.class, WAIT);
        while (availability.message() instanceof PeerMessage.AllowedFast) {
            availability = events.next(RecordingListener.Received.class, WAIT);
        }
        PeerMessage first = availability.message();
        assertTrue(first instanceof PeerMessage.HaveAll
                || first instanceof PeerMessage.Bitfield b && allSet(b), "availability: " + first);

        // libtorrent names a peer from its peer id (GY_0.1.0) until it has read the extension handshake,
        // which may come after its own availability message: ask again until it has
        String ourName = "peer client=" + PeerWireSettings.defaults().clientName().replace(' ', '_') + " ";
        List<String> seen = Await.value("libtorrent has read our client name", WAIT, fixture::peers,
                lines -> lines.size() != 1 || lines.get(0).startsWith(ourName));
        assertEquals(1, seen.size(), seen.toString());
        assertTrue(seen.get(0).startsWith(ourName), "libtorrent read our v: " + seen);

        peer.send(PeerMessage.Interested.INSTANCE);
        events.nextMessage(PeerMessage.Unchoke.class, WAIT);
        int lastPiece = pieces - 1;
        int lastLength = SIZE - lastPiece * PIECE_LENGTH;
        List<PeerMessage.Request> requests = List.of(new PeerMessage.Request(0, 0, 16384),
                new PeerMessage.Request(0, 16384, 16384), new PeerMessage.Request(2, 49152, 16384),
                new PeerMessage.Request(lastPiece, 0, lastLength));
        requests.forEach(peer::send);
        long received = 0;
        for (int i = 0; i < requests.size(); i++) {
            PeerMessage.Piece block = events.nextMessage(PeerMessage.Piece.class, WAIT);
            try {
                long start = (long) block.piece() * PIECE_LENGTH + block.offset();
                byte[] expected = Arrays.copyOfRange(payload, (int) start, (int) start + block.data().readableBytes());
                assertArrayEquals(expected, ByteBufUtil.getBytes(block.data()), "block " + block);
                assertTrue(requests.contains(new PeerMessage.Request(block.piece(), block.offset(),
                        block.data().readableBytes())), "unrequested " + block);
                received += block.data().readableBytes();
            } finally {
                block.data().release();
            }
        }
        assertEquals(3 * 16384 + lastLength, received);
        assertEquals(received, peer.stats().payloadDownloaded());
        return handshake;
    }

    private boolean allSet(PeerMessage.Bitfield bitfield) {
        for (int i = 0; i < pieces; i++) {
            if (!bitfield.has(i)) {
                return false;
            }
        }
        return true;
    }
}
