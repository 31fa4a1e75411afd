package io.graytorrent.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a command line to a control endpoint on loopback and relays its streamed output; over HTTPS
 * it trusts only the certificate the server recorded (and checks that it names 127.0.0.1).
 * {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: building an HttpClient
 * initialises the JDK's default TLS context (about a thousand classes and the CA certificates),
 * which cost every {@code gray} command about a second of start-up for a plain-HTTP hop.
 */
final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    /** For the quick requests; a command's output streams for as long as the command runs. */
    private static final int READ_TIMEOUT_MILLIS = 5000;
    /** As a shell reports a command ended by SIGINT. */
    static final int EXIT_CANCELLED = 130;

    private final String base;
    private final String token;
    /** With TLS: a socket factory trusting only the server's own certificate. */
    private final Optional<SSLSocketFactory> pinned;
    private volatile boolean silenced;

    ControlClient(ControlAddress control, String token) {
        this.base = control.base().toString();
        this.pinned = control.certificatePem().map(pem -> PinnedTls.trusting(pem).getSocketFactory());
        this.token = token;
    }

    /** Whether the endpoint answers our token. */
    boolean ping() {
        return answersOk("/api/v1/status", true);
    }

    /** Whether the endpoint serves the web UI (its page needs no token; the API behind it does). */
    boolean servesWebUi() {
        return answersOk("/", false);
    }

    /** Where a browser on this machine opens the web UI. */
    String webUi() {
        return base + "/";
    }

    private boolean answersOk(String path, boolean authorized) {
        try {
            HttpURLConnection connection = open(path, READ_TIMEOUT_MILLIS);
            if (authorized) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            try {
                int status = connection.getResponseCode();
                readAll(status < 400 ? connection.getInputStream() : connection.getErrorStream());
                return status == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The runtime is being stopped under the running command (which its end interrupts): from now
     * on {@link #run} prints nothing more and returns {@link #EXIT_CANCELLED} once the stream ends.
     * Callable from any thread. (Hanging up here instead would wait: {@code disconnect} blocks
     * until the reading thread's current read returns, up to a progress line's interval.)
     */
    void silence() {
        silenced = true;
    }

    /**
     * Runs {@code args} (command name first) in the server; returns the command's exit code, or
     * {@link #EXIT_CANCELLED} once {@link #silence() silenced}.
     */
    int run(List<String> args, String cwd, boolean tty, PrintStream out, PrintStream err) throws IOException {
        try {
            return send(args, cwd, tty, out, err);
        } catch (IOException e) {
            if (silenced) {
                return EXIT_CANCELLED; // the runtime's stop broke the stream
            }
            throw e;
        }
    }

    private int send(List<String> args, String cwd, boolean tty, PrintStream out, PrintStream err) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("args", args, "cwd", cwd, "tty", tty));
        HttpURLConnection connection = open("/api/v1/command", 0);
        try {
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            int status;
            try {
                try (OutputStream request = connection.getOutputStream()) {
                    request.write(body);
                }
                status = connection.getResponseCode();
            } catch (SSLHandshakeException e) {
                throw new IOException("the server at " + base + " is not the one whose certificate is in"
                        + " GRAY_HOME/control.pem, or that certificate does not name 127.0.0.1: " + e.getMessage(), e);
            }
            if (status != 200) {
                if (silenced) {
                    return EXIT_CANCELLED; // a signal stopped the runtime: its 503 is no news to the user
                }
                String message = new String(readAll(connection.getErrorStream()), StandardCharsets.UTF_8);
                err.println("error: " + JSON.readTree(message).path("error").path("message").asText(message));
                return 1;
            }
            try (BufferedReader events = new BufferedReader(
                    new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = events.readLine(); line != null && !silenced; line = events.readLine()) {
                    JsonNode event = JSON.readTree(line);
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
        } finally {
            connection.disconnect();
        }
        if (silenced) {
            return EXIT_CANCELLED;
        }
        err.println("error: the server closed the connection before the command finished");
        return 1;
    }

    /** readTimeoutMillis 0: wait as long as the server takes. */
    private HttpURLConnection open(String path, int readTimeoutMillis) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(base + path).openConnection();
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(readTimeoutMillis);
        connection.setUseCaches(false);
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(pinned.orElseThrow());
        }
        return connection;
    }

    private static byte[] readAll(InputStream stream) throws IOException {
        if (stream == null) {
            return new byte[0];
        }
        try (stream) {
            return stream.readAllBytes();
        }
    }
}
