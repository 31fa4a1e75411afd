package io.graytorrent.core.internal.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.graytorrent.api.BlocklistStatus;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class BlocklistTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aListServedOverHttpIsRefreshedOnScheduleAndABadBodyKeepsTheOneBefore() throws Exception {
        AtomicReference<String> body = new AtomicReference<>("first:7.7.7.0-7.7.7.255\n");
        AtomicInteger status = new AtomicInteger(200);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/list.p2p", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/list.p2p";
        try (Blocklist list = new Blocklist(List.of(url), Duration.ofMillis(200), new BlocklistParser())) {
            InetAddress first = InetAddress.getByName("7.7.7.7");
            InetAddress second = InetAddress.getByName("8.8.8.8");
            Await.until("the first list loaded", LIMIT, () -> list.blocks(first));
            assertFalse(list.blocks(second));

            body.set("second:8.8.8.0-8.8.8.255\n");
            Await.until("the list refreshed from the server", LIMIT, () -> list.blocks(second) && !list.blocks(first));

            body.set("<html>error page</html>\n");
            int before = requests.get();
            Await.until("two more loads", LIMIT, () -> requests.get() >= before + 2 && !list.status().lastError().isEmpty());
            assertTrue(list.blocks(second), "a bad body keeps the list before it");
            assertTrue(list.status().lastError().contains("no valid range"), list.status().lastError());

            status.set(404);
            int again = requests.get();
            Await.until("a failed request", LIMIT, () -> requests.get() >= again + 2
                    && list.status().lastError().contains("HTTP 404"));
            assertTrue(list.blocks(second), "a failed request keeps the list before it");
            BlocklistStatus shown = list.status();
            assertEquals(List.of(url), shown.sources());
            assertEquals(1, shown.ipv4Ranges());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void filesOfSeveralFormatsMakeOneListCountingSkippedLinesAndRefusals() throws Exception {
        Path p2p = Files.writeString(dir.resolve("a.p2p"), "a:1.0.0.0-1.0.0.255\nnonsense\n");
        Path cidr = Files.writeString(dir.resolve("b.txt"), "2.0.0.0/16\n2001:db8::/48\n");
        try (Blocklist list = new Blocklist(List.of(p2p.toString(), cidr.toString()), Duration.ZERO, new BlocklistParser())) {
            Await.until("loaded", LIMIT, () -> !list.status().loadedAt().isEmpty());
            BlocklistStatus status = list.status();
            assertEquals(2, status.ipv4Ranges());
            assertEquals(1, status.ipv6Ranges());
            assertEquals(4, status.linesRead());
            assertEquals(1, status.linesSkipped());
            assertTrue(list.blocks(InetAddress.getByName("2001:db8::7")));
            list.refused(InetAddress.getByName("1.0.0.1"));
            assertEquals(1, list.status().refused());

            Files.delete(cidr);
            list.configure(List.of(p2p.toString(), cidr.toString()), Duration.ZERO);
            Await.until("the failed load reported", LIMIT, () -> !list.status().lastError().isEmpty());
            assertTrue(list.blocks(InetAddress.getByName("2.0.1.1")), "a missing file keeps the list before it");

            list.configure(List.of(), Duration.ZERO);
            Await.until("no sources: no list", LIMIT, () -> list.status().ipv4Ranges() == 0);
            assertFalse(list.blocks(InetAddress.getByName("1.0.0.1")));
            assertEquals(1, list.status().refused(), "the count goes on");
        }
    }
}
