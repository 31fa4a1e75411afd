package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Slow;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server with the tracker plugins from the distribution's plugins/ folder: a torrent
 * announces started to an http tracker, {@code gray trackers} shows what the tracker said, and
 * {@code gray stop} sends stopped.
 */
@Slow
@ExtendWith(LeftoverProcesses.class)
class GrayTrackersIT {
    private static final byte[] REPLY = "d8:intervali1800e5:peers0:15:warning message9:test onlye"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path work;
    private GrayCommand gray;
    private HttpServer tracker;
    private final List<String> announces = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startTracker() throws IOException {
        gray = new GrayCommand(work.resolve("home"), work);
        tracker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tracker.createContext("/announce", exchange -> {
            announces.add(exchange.getRequestURI().getRawQuery());
            exchange.sendResponseHeaders(200, REPLY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(REPLY);
            }
        });
        tracker.start();
    }

    @AfterEach
    void stopAll() throws IOException {
        tracker.stop(0);
    }

    @Test
    void aServerAnnouncesThroughThePluginAndShowsTheTracker() throws Exception {
        Files.createDirectories(work.resolve("seed"));
        Files.write(work.resolve("seed/data.bin"), new byte[300_000]);
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
        assertEquals(0, gray.run("create", "seed/data.bin", "-t", url, "-o", "data.torrent").exit());
        assertSucceeds(gray.run("server", "start"));
        GrayCommand.Result added = gray.run("add", "data.torrent", "-d", "seed");
        assertEquals(0, added.exit(), added.toString());

        GrayCommand.Result trackers = awaitTrackers("working, warning: test only");
        assertTrue(trackers.out().contains(url), trackers.toString());
        assertTrue(announces.get(0).contains("event=started") && announces.get(0).contains("left=0"), announces.toString());

        assertEquals(0, gray.run("stop", "1").exit());
        Await.until("the stopped announce", Duration.ofSeconds(20),
                () -> announces.stream().anyMatch(query -> query.contains("event=stopped")));
        assertSucceeds(gray.run("server", "stop"));
    }

    /** Polls {@code gray trackers 1} until its table shows {@code status}. */
    private GrayCommand.Result awaitTrackers(String status) throws Exception {
        return Await.value("gray trackers showing '" + status + "'", Duration.ofSeconds(30),
                () -> gray.run("trackers", "1"), result -> result.out().contains(status));
    }
}
