package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A real libtorrent peer (the test kit's fixture) seeding or leeching a fresh random v1 torrent of
 * {@link #SIZE} bytes on 127.0.0.1, with the encryption policy it is given. Closing it kills the process.
 */
final class LibtorrentFixture implements AutoCloseable {
    static final int PIECE_LENGTH = 64 * 1024;
    /** Four whole pieces and a short fifth, so the last block is short too. */
    static final int SIZE = 4 * PIECE_LENGTH + 1000;

    final Map<String, String> ready;
    final InfoHash infoHash;
    final int pieces;
    final byte[] payload;
    final Path payloadFile;
    private final LibtorrentPeer peer;

    /** Starts it in {@code mode} (seed or leech) with {@code encryption} (default, rc4 or disabled). */
    LibtorrentFixture(Path workdir, String mode, String encryption) throws Exception {
        payload = new byte[SIZE];
        new Random(SIZE).nextBytes(payload);
        payloadFile = Files.write(workdir.resolve("payload.bin"), payload);
        Path torrent = workdir.resolve("payload.torrent");
        Libtorrent.run(Duration.ofSeconds(30), "create", payloadFile.toString(), torrent.toString(), "v1",
                Integer.toString(PIECE_LENGTH));
        Path saveDirectory = mode.equals("seed") ? workdir : Files.createDirectory(workdir.resolve("leech"));
        peer = new LibtorrentPeer(mode, torrent, saveDirectory, workdir.resolve("libtorrent.log"),
                "--encryption", encryption);
        ready = peer.ready;
        infoHash = InfoHash.parse(ready.get("infohash"));
        pieces = Integer.parseInt(ready.get("pieces"));
    }

    int port() {
        return peer.port;
    }

    /** Makes libtorrent dial 127.0.0.1:{@code peerPort}. */
    void connect(int peerPort) throws Exception {
        peer.connect(peerPort);
    }

    /** libtorrent's "peer client=V address=IP:PORT encryption=E" line for each connection. */
    List<String> peers() throws Exception {
        return peer.peers();
    }

    /** Sends a command; the answer is the lines up to {@code lastLine}, or one line if that is null. */
    List<String> command(String command, String lastLine) throws Exception {
        return peer.command(command, lastLine);
    }

    /** Waits, up to {@code limit}, until libtorrent has verified every piece; its last status line. */
    String awaitSeeding(Duration limit) throws Exception {
        return Await.value("libtorrent seeding", limit, peer::status, line -> line.contains("seeding=True"));
    }

    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
