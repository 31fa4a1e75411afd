package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.control.internal.auth.Authenticator;
import io.graytorrent.control.internal.auth.LoginAndCsrfTest;
import io.graytorrent.control.internal.auth.LoginSessions;
import io.graytorrent.control.internal.http.ControlServer;
import io.graytorrent.control.internal.http.Router;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-Sent Events over real sockets: what a reader sees, and a client that stops reading is dropped. */
@Timeout(60)
@Unit
class EventStreamsTest {
    private final List<TorrentStatus> torrents = new CopyOnWriteArrayList<>();
    private final java.util.Map<Integer, java.util.Set<String>> labels = new java.util.concurrent.ConcurrentHashMap<>(
            java.util.Map.of(1, new java.util.TreeSet<>(java.util.Set.of("linux")), 2, java.util.Set.of()));
    private EventStreams events;
    private ControlServer server;

    private void start(int maxBufferedBytes, long tickMillis) throws InterruptedException {
        events = new EventStreams(() -> List.copyOf(torrents), labels::get, 2, maxBufferedBytes, tickMillis);
        Router router = new Router();
        events.register(router);
        server = new ControlServer(new ControlServer.Settings("127.0.0.1", 0, 4096, null), new Authenticator(
                LoginAndCsrfTest.TOKEN, new LoginSessions(Duration.ofMinutes(5), 8, System::nanoTime), false), router);
    }

    @AfterEach
    void stop() {
        server.close();
        events.close();
    }

    private Socket subscribe() throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                + LoginAndCsrfTest.TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void aStreamStartsWithHelloThenReportsChangesTicksAndStats() throws Exception {
        torrents.add(TorrentJsonTest.status(1, TorrentState.DOWNLOADING, 10));
        start(256 * 1024, 200);
        try (Socket socket = subscribe()) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            readUntil(in, seen, "event: hello");
            assertTrue(in.readLine().contains("\"labels\":[\"linux\"]"), "hello carries the labels");
            labels.put(1, new java.util.TreeSet<>(java.util.Set.of("linux", "work")));
            torrents.set(0, TorrentJsonTest.status(1, TorrentState.SEEDING, 0));
            readUntil(in, seen, "event: tick");
            String tick = in.readLine();
            seen.add(tick);
            assertTrue(tick.contains("\"labels\":[\"linux\",\"work\"]"), "a tick carries a label changed since: " + tick);
            torrents.add(TorrentJsonTest.status(2, TorrentState.STOPPED, 0));
            readUntil(in, seen, "event: added");
            torrents.remove(0);
            readUntil(in, seen, "event: removed");
            seen.add(in.readLine());
            String all = String.join("\n", seen);
            assertTrue(all.startsWith("HTTP/1.1 200") && all.contains("text/event-stream"), all);
            assertTrue(all.contains("event: stats") && all.contains(": keepalive"), all);
            assertTrue(all.contains("data: {\"id\":1}"), "the removed torrent's id: " + all);
        }
    }

    private static void readUntil(BufferedReader in, List<String> seen, String line) throws Exception {
        for (String next = in.readLine(); next != null; next = in.readLine()) {
            seen.add(next);
            if (next.equals(line)) {
                return;
            }
        }
        throw new AssertionError("stream ended before " + line + ": " + seen);
    }

    @Test
    void streamsBeyondTheCapAreRefused() throws Exception {
        torrents.add(TorrentJsonTest.status(1, TorrentState.DOWNLOADING, 10));
        start(256 * 1024, 200);
        try (Socket first = subscribe(); Socket second = subscribe()) {
            awaitOpenStreams(2); // the server may take the three connections in any order
            try (Socket third = subscribe()) {
                third.setSoTimeout(10_000);
                String refused = new String(third.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(refused.startsWith("HTTP/1.1 429") && refused.contains("too_many_streams"), refused);
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedInsteadOfBufferedForever() throws Exception {
        // 2000 torrents make each tick ~400 KB: far past a 64 KiB buffer once the socket buffers are full
        IntStream.rangeClosed(1, 2000).forEach(id -> torrents.add(TorrentJsonTest.status(id, TorrentState.DOWNLOADING, id)));
        start(64 * 1024, 50);
        try (Socket slow = subscribe()) {
            slow.setSoTimeout(10_000);
            String status = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", status, "the stream was accepted; from here on its client reads nothing");
            awaitOpenStreams(0);
        }
    }

    private void awaitOpenStreams(int expected) throws Exception {
        Await.until(expected + " open event streams", Duration.ofSeconds(30), () -> events.openStreams() == expected);
    }
}
