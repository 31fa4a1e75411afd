package io.graytorrent.distribution;

import io.graytorrent.testkit.LibtorrentPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A libtorrent seeder on 127.0.0.1 (the test kit's libtorrent peer), killed by {@link #close()}. */
final class LibtorrentSeeder implements AutoCloseable {
    private final LibtorrentPeer peer;

    private LibtorrentSeeder(LibtorrentPeer peer) {
        this.peer = peer;
    }

    /** Seeds {@code torrent} from {@code dataDirectory}, at most {@code uploadRate} bytes/s (0: no limit). */
    static LibtorrentSeeder start(Path torrent, Path dataDirectory, long uploadRate) throws Exception {
        return start(torrent, dataDirectory, uploadRate, false);
    }

    /** The same, accepting only RC4-encrypted (MSE) connections when {@code forceRc4}. */
    static LibtorrentSeeder start(Path torrent, Path dataDirectory, long uploadRate, boolean forceRc4) throws Exception {
        Path log = Files.createTempFile(dataDirectory.getParent(), "libtorrent-seeder", ".log");
        return new LibtorrentSeeder(new LibtorrentPeer("seed", torrent, dataDirectory, log,
                "--upload-rate", Long.toString(uploadRate), "--encryption", forceRc4 ? "rc4" : "default"));
    }

    String address() {
        return peer.address();
    }

    /** One line per connection libtorrent holds, naming our side's address and port: the same lines, the same connections. */
    List<String> peers() throws Exception {
        return peer.peers();
    }

    /** "status pieces=N seeding=True|False uploaded=B" */
    String status() throws Exception {
        return peer.status();
    }

    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
