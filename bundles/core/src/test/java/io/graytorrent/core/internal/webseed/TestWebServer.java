package io.graytorrent.core.internal.webseed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 that serves byte arrays by path with {@code Range} (one range, as a
 * web seed asks), honestly or, per path, in one of the ways real servers break.
 */
public final class TestWebServer implements AutoCloseable {

    /** How a path is served. */
    public enum Behaviour {
        HONEST,
        /** 206 with a Content-Range other than the one asked for. */
        WRONG_RANGE,
        /** Half the body, then the end of a chunked body. */
        SHORT_BODY,
        /** The range asked for and as much again. */
        LONG_BODY,
        /** One byte every 200 ms. */
        SLOW_LORIS,
        /** Headers, then nothing. */
        SILENT,
        NOT_FOUND,
        /** 503 with Retry-After: 1 for the first request, then honest. */
        BUSY_ONCE,
        /** Every byte flipped. */
        CORRUPT,
        /** 302 to itself. */
        REDIRECT_LOOP,
        /** 302 to the same path under /moved/, which is served honestly. */
        REDIRECT,
        /** 200 with the whole file whatever the Range. */
        IGNORES_RANGE
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public TestWebServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Serves {@code data} at {@code path} (starting with '/', percent-encoded as in a request). */
    public void serve(String path, byte[] data, Behaviour behaviour) {
        files.put(path, data);
        behaviours.put(path, behaviour);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            boolean moved = path.startsWith("/moved/");
            byte[] data = files.get(moved ? path.substring(6) : path);
            Behaviour behaviour = moved ? Behaviour.HONEST : behaviours.getOrDefault(path, Behaviour.NOT_FOUND);
            if (data == null || behaviour == Behaviour.NOT_FOUND) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            switch (behaviour) {
                case BUSY_ONCE -> {
                    behaviours.put(path, Behaviour.HONEST);
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                case REDIRECT_LOOP, REDIRECT -> {
                    exchange.getResponseHeaders().add("Location", behaviour == Behaviour.REDIRECT ? "/moved" + path : path);
                    exchange.sendResponseHeaders(302, -1);
                    return;
                }
                case IGNORES_RANGE -> {
                    exchange.sendResponseHeaders(200, data.length);
                    exchange.getResponseBody().write(data);
                    return;
                }
                default -> { }
            }
            long[] range = range(exchange.getRequestHeaders().getFirst("Range"), data.length);
            int first = (int) range[0];
            int length = (int) (range[1] - range[0] + 1);
            byte[] body = Arrays.copyOfRange(data, first, first + length);
            int shown = behaviour == Behaviour.WRONG_RANGE ? first + 1 : first;
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + shown + "-" + (shown + length - 1) + "/" + data.length);
            OutputStream out = exchange.getResponseBody();
            switch (behaviour) {
                case SHORT_BODY -> {
                    exchange.sendResponseHeaders(206, 0);
                    out.write(body, 0, length / 2);
                }
                case LONG_BODY -> {
                    exchange.sendResponseHeaders(206, 0);
                    out.write(body);
                    out.write(body);
                }
                case SLOW_LORIS -> {
                    exchange.sendResponseHeaders(206, length);
                    for (byte b : body) {
                        out.write(b);
                        out.flush();
                        sleep(200);
                    }
                }
                case SILENT -> {
                    exchange.sendResponseHeaders(206, length);
                    out.flush();
                    sleep(60_000);
                }
                case CORRUPT -> {
                    for (int i = 0; i < body.length; i++) {
                        body[i] = (byte) ~body[i];
                    }
                    exchange.sendResponseHeaders(206, length);
                    out.write(body);
                }
                default -> {
                    exchange.sendResponseHeaders(206, length);
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client hung up: the hostile cases expect it to
        }
    }

    /** {@code bytes=a-b} as [a, b], or the whole file. */
    private static long[] range(String header, long length) {
        if (header == null || !header.startsWith("bytes=")) {
            return new long[] {0, length - 1};
        }
        String[] bounds = header.substring(6).split("-", 2);
        return new long[] {Long.parseLong(bounds[0]), Math.min(length - 1, Long.parseLong(bounds[1]))};
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
