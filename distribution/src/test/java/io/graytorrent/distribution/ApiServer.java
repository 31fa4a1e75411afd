package io.graytorrent.distribution;

import io.graytorrent.testkit.LeftoverProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real server started with {@code gray server start} in its own GRAY_HOME, and an HTTP client for its JSON API. */
final class ApiServer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    final GrayCommand gray;
    final int port;
    final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ApiServer(GrayCommand gray, int port, String token) {
        this.gray = gray;
        this.port = port;
        this.token = token;
    }

    static ApiServer start(Path home, Path workingDirectory) throws Exception {
        GrayCommand gray = new GrayCommand(home, workingDirectory);
        GrayCommand.assertSucceeds(gray.run("server", "start"));
        return attach(gray, home);
    }

    /** The server {@code gray} started in {@code home}; closing it stops the server. */
    static ApiServer attach(GrayCommand gray, Path home) throws IOException {
        return new ApiServer(gray, Integer.parseInt(Files.readString(home.resolve("control.port")).trim()),
                Files.readString(home.resolve("control.token")).trim());
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A request builder for {@code pathAndQuery} with the Bearer token. */
    HttpRequest.Builder authorised(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            gray.run("server", "stop");
        } finally {
            LeftoverProcesses.kill(gray.pidFile());
        }
    }
}
