package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * An engine in a process of its own, for the kill -9 tests:
 * {@code STATE TORRENT SAVE_DIR RATE LISTEN_PORT [PEER_PORT...]} (a listen port of 0 takes any free
 * one; the peers are on 127.0.0.1). Adds the torrent unless the state directory already manages it,
 * then prints {@code status id=I state=S verified=B downloaded=B} every 100 ms until killed.
 */
public final class EngineProcess {
    private EngineProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        EngineSettings settings = TestSettings.with(state.resolve("downloads"), 5, Long.parseLong(args[3]), 0,
                Duration.ofSeconds(1));
        EngineFixture fixture = new EngineFixture(state, settings, new TrackerClients(),
                TestSettings.wireOn(Integer.parseInt(args[4]), Duration.ofSeconds(20)));
        if (fixture.engine.list().isEmpty()) {
            fixture.add(Files.readAllBytes(Path.of(args[1])), Path.of(args[2]), Arrays.stream(args, 5, args.length)
                    .map(port -> new InetSocketAddress("127.0.0.1", Integer.parseInt(port)))
                    .toArray(InetSocketAddress[]::new));
        }
        while (true) {
            for (TorrentStatus status : fixture.engine.list()) {
                System.out.println("status id=" + status.id() + " state=" + status.state() + " verified="
                        + status.verifiedBytes() + " downloaded=" + status.downloaded());
            }
            Thread.sleep(100);
        }
    }
}
