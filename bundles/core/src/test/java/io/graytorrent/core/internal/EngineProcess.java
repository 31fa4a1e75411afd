package io.graytorrent.core.internal;

import io.graytorrent.api.TorrentStatus;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An engine in a process of its own, for the kill -9 test: {@code STATE TORRENT SAVE_DIR SEEDER_PORT RATE}.
 * Adds the torrent unless the state directory already manages it, then prints
 * {@code status id=I state=S verified=B} every 100 ms until killed.
 */
public final class EngineProcess {
    private EngineProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        EngineSettings settings = TestSettings.with(state.resolve("downloads"), 5, Long.parseLong(args[4]), 0,
                Duration.ofSeconds(1));
        EngineFixture fixture = new EngineFixture(state, settings);
        if (fixture.engine.list().isEmpty()) {
            fixture.add(Files.readAllBytes(Path.of(args[1])), Path.of(args[2]),
                    new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3])));
        }
        while (true) {
            for (TorrentStatus status : fixture.engine.list()) {
                System.out.println("status id=" + status.id() + " state=" + status.state() + " verified="
                        + status.verifiedBytes());
            }
            Thread.sleep(100);
        }
    }
}
