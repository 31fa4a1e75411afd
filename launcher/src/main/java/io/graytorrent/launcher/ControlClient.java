package io.graytorrent.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends a command line to a control endpoint on loopback and relays its streamed output; over HTTPS
 * it trusts only the certificate the server recorded (and checks that it names 127.0.0.1).
 */
final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String token;

    ControlClient(ControlAddress control, String token) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        control.certificatePem().ifPresent(pem -> builder.sslContext(PinnedTls.trusting(pem)));
        this.http = builder.build();
        this.base = control.base();
        this.token = token;
    }

    /** Whether the endpoint answers our token. */
    boolean ping() {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/status"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the endpoint serves the web UI (its page needs no token; the API behind it does). */
    boolean servesWebUi() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(webUi()).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where a browser on this machine opens the web UI. */
    URI webUi() {
        return base.resolve("/");
    }

    /** Runs {@code args} (command name first) in the server; returns the command's exit code. */
    int run(List<String> args, String cwd, boolean tty, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(Map.of("args", args, "cwd", cwd, "tty", tty));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/command"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (SSLHandshakeException e) {
            throw new IOException("the server at " + base + " is not the one whose certificate is in"
                    + " GRAY_HOME/control.pem, or that certificate does not name 127.0.0.1: " + e.getMessage(), e);
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                String message = lines.reduce("", String::concat);
                err.println("error: " + JSON.readTree(message).path("error").path("message").asText(message));
                return 1;
            }
            Iterator<String> events = lines.iterator();
            while (events.hasNext()) {
                JsonNode event = JSON.readTree(events.next());
                if (event.has("out")) {
                    out.print(event.get("out").asText());
                    out.flush();
                } else if (event.has("err")) {
                    err.print(event.get("err").asText());
                    err.flush();
                } else if (event.has("exit")) {
                    return event.get("exit").asInt();
                }
            }
        }
        err.println("error: the server closed the connection before the command finished");
        return 1;
    }
}
