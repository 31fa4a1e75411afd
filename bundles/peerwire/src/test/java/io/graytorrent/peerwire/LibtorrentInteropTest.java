package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.api.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
class LibtorrentInteropTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int PIECE_LENGTH = 64 * 1024;
    /** Four whole pieces and a short fifth, so the last block is short too. */
    private static final int SIZE = 4 * PIECE_LENGTH + 1000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path workdir;
    private Process fixture;
    private BufferedReader fixtureOut;
    private Writer fixtureIn;
    private Map<String, String> ready;
    private InfoHash infoHash;
    private int pieces;
    private byte[] payload;
    private PeerWire wire;
    private final RecordingListener events = new RecordingListener();

    /** Starts the fixture in {@code mode} (seed or leech) and our network, routing to {@code listener}. */
    private void start(String mode, PeerListener listener) throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: the interop tests need Debian's python3 with python3-libtorrent");
        }
        Path script = Path.of(getClass().getResource("/libtorrent_peer.py").toURI());
        fixture = new ProcessBuilder(PYTHON, script.toString(), mode, workdir.toString(), Integer.toString(SIZE),
                Integer.toString(PIECE_LENGTH)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        fixtureOut = new BufferedReader(new InputStreamReader(fixture.getInputStream(), StandardCharsets.UTF_8));
        fixtureIn = new java.io.OutputStreamWriter(fixture.getOutputStream(), StandardCharsets.UTF_8);
        String line = readLine();
        if (!line.startsWith("ready ")) {
            fail("the libtorrent fixture did not start: " + line);
        }
        ready = new HashMap<>();
        for (String field : line.substring(6).split(" ")) {
            String[] kv = field.split("=", 2);
            ready.put(kv[0], kv[1]);
        }
        infoHash = InfoHash.parse(ready.get("infohash"));
        pieces = Integer.parseInt(ready.get("pieces"));
        payload = Files.readAllBytes(Path.of(ready.get("file")));
        TorrentEndpoint endpoint = new TorrentEndpoint(infoHash, pieces, listener);
        wire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> hash.equals(infoHash) ? Optional.of(endpoint) : Optional.empty(), new ExtensionRegistry());
    }

    /** A line from the fixture, bounded in time: a fixture that hangs fails the test. */
    private String readLine() throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return fixtureOut.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String text = line.get(30, TimeUnit.SECONDS);
        if (text == null) {
            fail("the libtorrent fixture exited with " + fixture.waitFor() + " (see its stderr above)");
        }
        return text;
    }

    /** Sends a command; the answer is the lines up to {@code lastLine}, or one line if that is null. */
    private List<String> command(String command, String lastLine) throws Exception {
        fixtureIn.write(command + "\n");
        fixtureIn.flush();
        List<String> lines = new ArrayList<>();
        for (String line = readLine(); !line.equals(lastLine); line = readLine()) {
            if (line.startsWith("error ")) {
                fail("libtorrent fixture: " + line);
            }
            lines.add(line);
            if (lastLine == null) {
                break;
            }
        }
        return lines;
    }

    @AfterEach
    void stopAll() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (fixture != null) {
            fixture.destroyForcibly();
            fixture.waitFor(10, TimeUnit.SECONDS);
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
        command("connect " + wire.listenAddress().getPort(), "ok");
        PeerConnection peer = events.next(RecordingListener.Connected.class, WAIT).peer();
        assertFalse(peer.outgoing());
        // BEP 10: only the side that dialled needs to say its listen port
        assertEquals(Integer.parseInt(ready.get("port")), exchange(peer).listenPort().getAsInt());
    }

    @Test
    void libtorrentDownloadsTheWholeTorrentFromUsAndVerifiesIt() throws Exception {
        Uploader uploader = new Uploader();
        start("leech", uploader);
        try (FileChannel file = FileChannel.open(Path.of(ready.get("file")), StandardOpenOption.READ)) {
            uploader.file = file;
            command("connect " + wire.listenAddress().getPort(), "ok");
            long deadline = System.nanoTime() + WAIT.toNanos();
            String status = command("status", null).get(0);
            while (!status.endsWith("seeding=True") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                status = command("status", null).get(0);
            }
            assertEquals("status pieces=" + pieces + " seeding=True", status, "libtorrent verified every piece");
            // a block counts once its write completes, which can come after libtorrent has it
            while (uploader.peer.stats().payloadUploaded() < SIZE && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(SIZE, uploader.peer.stats().payloadUploaded());
        }
    }

    /**
     * A test-only upload loop on the event loop: HAVE_ALL, unchoke on interest, and every request
     * answered with a block read from the file.
     */
    private final class Uploader implements PeerListener {
        volatile FileChannel file;
        volatile PeerConnection peer;

        @Override
        public void onConnected(PeerConnection connected) {
            peer = connected;
            connected.send(PeerMessage.HaveAll.INSTANCE);
        }

        @Override
        public void onMessage(PeerConnection connected, PeerMessage message) {
            if (message instanceof PeerMessage.Interested) {
                connected.send(PeerMessage.Unchoke.INSTANCE);
            } else if (message instanceof PeerMessage.Request r) {
                connected.send(new PeerMessage.Piece(r.piece(), r.offset(), read(r)));
            } else if (message instanceof PeerMessage.Piece unexpected) {
                unexpected.data().release();
            }
        }

        private ByteBuf read(PeerMessage.Request request) {
            ByteBuf block = Unpooled.buffer(request.length());
            try {
                file.read(block.nioBuffer(0, request.length()), (long) request.piece() * PIECE_LENGTH + request.offset());
            } catch (IOException e) {
                block.release();
                throw new UncheckedIOException(e);
            }
            return block.writerIndex(request.length());
        }

        @Override
        public void onClosed(PeerConnection connected, CloseReason reason) {
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
        // which may come after its own availability message: ask again until it has, or WAIT is over
        String ourName = "peer client=" + PeerWireSettings.defaults().clientName().replace(' ', '_') + " ";
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> seen = command("peers", "end");
        while (seen.size() == 1 && !seen.get(0).startsWith(ourName) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = command("peers", "end");
        }
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
