package io.graytorrent.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's opentracker (an IPv4-only build: "V4 Tracker is V4 only!" for ::1) on 127.0.0.1, one port for HTTP and UDP, in whitelist mode with the given
 * infohashes. It refuses to run as root, so it runs as nobody, chrooted to a directory of its own
 * that nobody can read. Closing kills it by PID and removes the directory.
 */
public final class Opentracker implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/opentracker");

    public final int port;
    private final Path directory;
    private final Process process;

    /** Serves the torrents of {@code whitelist} (infohashes, 40 hex digits each). */
    public Opentracker(List<String> whitelist) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: the tracker interop test needs Debian's opentracker"
                    + " (apt-get install opentracker)");
        }
        directory = Files.createTempDirectory(Path.of("/tmp"), "opentracker-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(directory.resolve("whitelist"), String.join("\n", whitelist) + "\n");
        Files.setPosixFilePermissions(directory.resolve("whitelist"), PosixFilePermissions.fromString("rw-r--r--"));
        port = freeTcpAndUdpPort();
        process = new ProcessBuilder(BINARY.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port), "-P",
                Integer.toString(port), "-u", "nobody", "-d", directory.toString(), "-w", "/whitelist")
                .redirectErrorStream(true).redirectOutput(directory.resolve("log").toFile()).start();
        awaitListening();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port + "/announce";
    }

    public String udpUrl() {
        return "udp://127.0.0.1:" + port + "/announce";
    }

    private void awaitListening() throws Exception {
        Await.until("opentracker listening on " + port, Duration.ofSeconds(10), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("opentracker exited with " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("log")));
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // the UDP side of that port is in use: try another
            }
        }
        throw new IOException("no port free for both TCP and UDP on 127.0.0.1");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
