package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Interop;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real server, with a torrent in it, read by Prometheus's own checker. */
@Timeout(120)
@Interop
class MetricsIT {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path work;

    @Test
    void metricsNeedTheTokenAndPassPromtool() throws Exception {
        Path data = work.resolve("seed/data.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, new byte[300_000]);
        GrayCommand.assertSucceeds(new GrayCommand(work.resolve("tool-home"), work)
                .run("create", "seed/data.bin", "-o", "data.torrent"));
        try (ApiServer server = ApiServer.start(work.resolve("home"), work)) {
            assertEquals(401, server.send(HttpRequest.newBuilder(server.uri("/metrics"))).statusCode());
            HttpResponse<String> added = server.send(server.authorised("/api/v1/torrents")
                    .header("Content-Type", "application/x-bittorrent")
                    .POST(HttpRequest.BodyPublishers.ofFile(work.resolve("data.torrent"))));
            assertEquals(201, added.statusCode(), added.body());

            HttpResponse<String> metrics = server.send(server.authorised("/metrics"));
            assertEquals(200, metrics.statusCode(), metrics.body());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    metrics.headers().toString());
            String text = metrics.body();
            assertTrue(text.contains("graytorrent_engine_up 1\n"), text);
            assertTrue(text.matches("(?s).*graytorrent_torrents\\{state=\"[a-z_]+\"} 1\n.*"), text);
            assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"} "), text);
            assertTrue(text.contains("graytorrent_peers_by_transport{transport=\"utp\"} 0\n"), text);
            assertTrue(text.matches("(?s).*graytorrent_disk_pending_bytes \\d+\n.*"), text);
            // the DHT runs (with no node to join in tests): its families are there
            assertTrue(text.contains("graytorrent_dht_nodes{family=\"ipv4\"} 0\n"), text);
            assertPromtoolAccepts(text);
        }
    }

    private void assertPromtoolAccepts(String text) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            assertTrue(System.getenv("CI") == null, "CI must have promtool (Debian package prometheus)");
            Assumptions.abort("skipped promtool's check: no " + PROMTOOL + " (Debian package prometheus)");
        }
        Path scraped = Files.writeString(work.resolve("metrics.txt"), text);
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(scraped.toFile()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
        }
        assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + output + "\non:\n" + text);
    }
}
