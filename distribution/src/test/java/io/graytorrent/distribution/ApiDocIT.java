package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Slow;
import java.nio.charset.StandardCharsets;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example of docs/api.md, in order, with the real curl against a real server, and checks
 * each answer's status and, where the page shows one, that the answer has the example's fields.
 */
@Timeout(180)
@Slow
class ApiDocIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPECTED_STATUS = Pattern.compile("# → (\\d{3})");
    /** curl exits 28 when --max-time ends a transfer: how the event stream example stops. */
    private static final int CURL_TIMED_OUT = 28;

    /** One ```sh block: its command, the status it must get, and the ```json shape shown after it (or null). */
    record Example(String command, int status, JsonNode shape) {
    }

    @TempDir
    Path work;

    @Test
    void everyExampleOfTheApiPageAnswersAsDocumented() throws Exception {
        List<Example> examples = examples(Files.readAllLines(Path.of(System.getProperty("gray.apiDoc", "../docs/api.md"))));
        assertTrue(examples.size() >= 20, "the page's examples were found: " + examples.size());
        Path data = Files.createDirectories(work.resolve("data/sub"));
        Files.write(work.resolve("data/big.bin"), new byte[700_000]);
        Files.writeString(data.resolve("small.txt"), "hello\n");
        Files.writeString(work.resolve("other"), "other");
        // the add-by-URL example's .torrent, served as a web server would
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/other.torrent", exchange -> {
            byte[] torrent = Files.readAllBytes(work.resolve("other.torrent"));
            exchange.sendResponseHeaders(200, torrent.length);
            try (var out = exchange.getResponseBody()) {
                out.write(torrent);
            }
        });
        web.start();
        try (ApiServer server = ApiServer.start(work.resolve("home"), work)) {
            GrayCommand.assertSucceeds(server.gray.run("create", "data", "-t", "http://127.0.0.1:1/announce", "-o", "data.torrent"));
            GrayCommand.assertSucceeds(server.gray.run("create", "other", "-t", "http://127.0.0.1:1/announce", "-o", "other.torrent"));
            torrentUrl = "http://127.0.0.1:" + web.getAddress().getPort() + "/other.torrent";
            for (Example example : examples) {
                run(example, server);
            }
        } finally {
            web.stop(0);
        }
    }

    private String torrentUrl;

    private void run(Example example, ApiServer server) throws Exception {
        Path body = work.resolve("body");
        Files.deleteIfExists(body);
        ProcessBuilder curl = new ProcessBuilder("bash", "-c", example.command() + " -o " + body + " -w '%{http_code}'")
                .directory(work.toFile()).redirectErrorStream(true);
        curl.environment().put("GRAY_PORT", Integer.toString(server.port));
        curl.environment().put("GRAY_TOKEN", server.token);
        curl.environment().put("TORRENT_FILE", work.resolve("data.torrent").toString());
        curl.environment().put("TORRENT_URL", torrentUrl);
        Process process = curl.start();
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "curl finished: " + example.command());
            String status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String answer = Files.exists(body) ? Files.readString(body) : "";
            assertTrue(process.exitValue() == 0 || process.exitValue() == CURL_TIMED_OUT, example.command() + ": " + status);
            assertEquals(Integer.toString(example.status()), status, example.command() + "\n" + answer);
            if (answer.startsWith("event: ")) {
                assertTrue(answer.contains("event: hello\ndata: {\"torrents\":["), answer);
            } else if (example.shape() != null) {
                assertSameFields(example.shape(), JSON.readTree(withoutHeaders(answer)), "", example.command());
            }
        } finally {
            process.destroyForcibly();
        }
    }

    /** {@code curl -i} writes the head before the body. */
    private static String withoutHeaders(String answer) {
        return answer.startsWith("HTTP/") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : answer;
    }

    private static void assertSameFields(JsonNode documented, JsonNode actual, String path, String command) {
        if (documented.isObject()) {
            assertTrue(actual.isObject(), path + " is an object: " + actual + " for " + command);
            assertEquals(names(documented), names(actual), "fields of " + (path.isEmpty() ? "the answer" : path) + " for " + command);
            for (Iterator<String> names = documented.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertSameFields(documented.get(name), actual.get(name), path + "." + name, command);
            }
        } else if (documented.isArray() && documented.size() > 0 && actual.isArray() && actual.size() > 0) {
            assertSameFields(documented.get(0), actual.get(0), path + "[0]", command);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The ```sh blocks in page order, each with the ```json block that follows it before the next ```sh, if any. */
    static List<Example> examples(List<String> lines) throws Exception {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```sh")) {
                continue;
            }
            StringBuilder command = new StringBuilder();
            int status = -1;
            for (i++; !lines.get(i).equals("```"); i++) {
                Matcher expected = EXPECTED_STATUS.matcher(lines.get(i));
                if (expected.matches()) {
                    status = Integer.parseInt(expected.group(1));
                } else {
                    command.append(lines.get(i)).append(' ');
                }
            }
            assertFalse(status < 0, "every example says its status: " + command);
            JsonNode shape = null;
            for (int j = i + 1; j < lines.size() && !lines.get(j).equals("```sh"); j++) {
                if (lines.get(j).equals("```json")) {
                    StringBuilder json = new StringBuilder();
                    for (j++; !lines.get(j).equals("```"); j++) {
                        json.append(lines.get(j)).append('\n');
                    }
                    shape = JSON.readTree(json.toString());
                    break;
                }
            }
            examples.add(new Example(command.toString().strip(), status, shape));
        }
        return examples;
    }
}
