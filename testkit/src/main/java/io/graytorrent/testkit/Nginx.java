package io.graytorrent.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nginx (Debian's {@code nginx-light}) on 127.0.0.1 serving a directory, with its own
 * configuration, logs and temporary files in a directory of the test's; a child process stopped by
 * {@link #close()} (by its PID). nginx honours {@code Range}, which a web seed needs.
 */
public final class Nginx implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/nginx";
    public static final String INSTALL = "nginx is missing: apt-get install nginx-light (bash .ci/run installs it)";

    /** The password of {@link #trustStore()}. */
    public static final String TRUST_STORE_PASSWORD = "graytorrent-test";

    private final Process process;
    private final Path workDirectory;
    private final boolean https;
    public final int port;

    /** Serves {@code root} at {@code http://127.0.0.1:PORT/}; nginx's files go under {@code workDirectory}. */
    public Nginx(Path root, Path workDirectory) throws Exception {
        this(root, workDirectory, false);
    }

    /**
     * With {@code https}, serves {@code root} at {@code https://127.0.0.1:PORT/} with a self-signed
     * certificate for 127.0.0.1 made here (by the JDK's keytool); {@link #trustStore()} trusts it.
     */
    public Nginx(Path root, Path workDirectory, boolean https) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(INSTALL);
        }
        this.workDirectory = Files.createDirectories(workDirectory);
        this.https = https;
        Files.createDirectories(workDirectory.resolve("tmp"));
        this.port = LoopbackServers.freePort();
        SelfSignedCertificate tls = https ? SelfSignedCertificate.make(workDirectory, TRUST_STORE_PASSWORD) : null;
        String listen = tls == null ? "    listen 127.0.0.1:" + port + ";"
                : "    listen 127.0.0.1:" + port + " ssl;\n    ssl_certificate " + tls.certificate()
                + ";\n    ssl_certificate_key " + tls.key() + ";";
        Path config = workDirectory.resolve("nginx.conf");
        String w = workDirectory.toAbsolutePath().toString();
        Files.writeString(config, String.join("\n",
                "daemon off;",
                "master_process off;", // one process: the PID we start is the server, stopped by that PID
                "user root;",
                "worker_processes 1;",
                "pid " + w + "/nginx.pid;",
                "error_log " + w + "/error.log warn;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log " + w + "/access.log;",
                "  client_body_temp_path " + w + "/tmp/body;",
                "  proxy_temp_path " + w + "/tmp/proxy;",
                "  fastcgi_temp_path " + w + "/tmp/fastcgi;",
                "  uwsgi_temp_path " + w + "/tmp/uwsgi;",
                "  scgi_temp_path " + w + "/tmp/scgi;",
                "  sendfile on;",
                "  keepalive_requests 100000;",
                "  types { application/octet-stream bin; }",
                "  server {",
                listen,
                "    root " + root.toAbsolutePath() + ";",
                "  }",
                "}", ""));
        process = new ProcessBuilder(BINARY, "-p", w, "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("stdout.log").toFile()).start();
        Await.until("nginx listening on 127.0.0.1:" + port, Duration.ofSeconds(10), this::accepts);
    }

    /** {@code http://127.0.0.1:PORT} (or https) followed by {@code path}. */
    public String url(String path) {
        return (https ? "https" : "http") + "://127.0.0.1:" + port + path;
    }

    /** A PKCS12 trust store holding only this server's certificate (https only). */
    public Path trustStore() {
        return workDirectory.resolve(SelfSignedCertificate.TRUST_STORE);
    }

    /** The requests nginx logged so far, one line each. */
    public long requests() throws IOException {
        Path log = workDirectory.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    /** The client address of each request logged so far (the access log's first field). */
    public List<String> clients() throws IOException {
        Path log = workDirectory.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().map(line -> line.split(" ", 2)[0]).toList() : List.of();
    }

    private boolean accepts() {
        if (!process.isAlive()) {
            throw new AssertionError("nginx exited: " + read(workDirectory.resolve("stdout.log"))
                    + read(workDirectory.resolve("error.log")));
        }
        return LoopbackServers.accepts(port);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        LoopbackServers.stop(process);
    }
}
