package io.graytorrent.portmap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The port mapper against Debian's miniupnpd as the gateway ({@link MiniupnpdGateway}), run in a JVM
 * of its own inside the client's namespace: the mapping of our port for TCP and UDP appears in the
 * gateway's nftables rules and lease file, is renewed before its 4-second lease ends (the lease
 * file's expiry moves on), follows our port when it moves, and is gone from both after the mapper
 * stops. Once over UPnP IGD, once over NAT-PMP.
 */
@Interop
class MiniupnpdInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int PORT = 16881;
    private static final int MOVED = 16891;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"upnp", "natpmp"})
    void mapsTcpAndUdpRenewsAndDeletesAtStop(String protocol) throws Exception {
        try (MiniupnpdGateway gateway = MiniupnpdGateway.start(dir); Client client = new Client(gateway, protocol)) {
            client.awaitMapped(PORT, gateway);
            assertTrue(client.lines.contains("external " + MiniupnpdGateway.EXTERNAL), client.lines.toString());
            String rules = gateway.rules();
            assertTrue(rules.contains(rule("0x6", PORT)) && rules.contains(rule("0x11", PORT)), rules);
            long expiry = expiry(gateway.leases(), "TCP", PORT);
            assertTrue(expiry > 0 && expiry(gateway.leases(), "UDP", PORT) > 0, gateway.leases().toString());

            Await.until("renewed (client said " + client.lines + ")", LIMIT,
                    () -> client.lines.stream().anyMatch(l -> l.startsWith("status " + protocol + "|") && !l.endsWith("|0")));
            Await.until("the lease moved on (" + gateway.leases() + ")", LIMIT,
                    () -> expiry(gateway.leases(), "TCP", PORT) > expiry);
            assertTrue(gateway.rules().contains(rule("0x6", PORT)), "still mapped after the renewal");

            client.stop();
            assertGone(gateway, PORT);
        }
    }

    /** Our listen port reconfigured at run time: the old port's mappings are deleted and the new one is mapped. */
    @ParameterizedTest
    @ValueSource(strings = {"upnp", "natpmp"})
    void theMappingFollowsOurPortWhenItMoves(String protocol) throws Exception {
        try (MiniupnpdGateway gateway = MiniupnpdGateway.start(dir); Client client = new Client(gateway, protocol)) {
            client.awaitMapped(PORT, gateway);

            client.send("port " + MOVED);
            client.awaitMapped(MOVED, gateway);
            Await.until("the old port's mappings deleted (" + gateway.rules() + ")", LIMIT,
                    () -> !gateway.rules().contains("dport " + PORT + " "));
            String rules = gateway.rules();
            assertTrue(rules.contains(rule("0x6", MOVED)) && rules.contains(rule("0x11", MOVED)), rules);
            assertEquals(-1, expiry(gateway.leases(), "TCP", PORT), gateway.leases().toString());
            assertEquals(-1, expiry(gateway.leases(), "UDP", PORT), gateway.leases().toString());
            assertTrue(expiry(gateway.leases(), "TCP", MOVED) > 0, gateway.leases().toString());

            client.stop();
            assertGone(gateway, MOVED);
        }
    }

    private static String rule(String protocolNumber, int port) {
        return protocolNumber + " th dport " + port + " dnat ip to " + MiniupnpdGateway.CLIENT + ":" + port;
    }

    private static void assertGone(MiniupnpdGateway gateway, int port) throws Exception {
        String after = gateway.rules();
        assertFalse(after.contains("dport " + port), after);
        assertEquals(-1, expiry(gateway.leases(), "TCP", port), gateway.leases().toString());
        assertEquals(-1, expiry(gateway.leases(), "UDP", port), gateway.leases().toString());
    }

    /** The expiry miniupnpd's lease file gives {@code port}'s mapping for {@code protocol}, or -1 without one. */
    private static long expiry(List<String> leases, String protocol, int port) {
        for (String lease : leases) {
            String[] fields = lease.split(":", 6);
            if (fields.length == 6 && fields[0].equals(protocol) && fields[1].equals(Integer.toString(port))) {
                return Long.parseLong(fields[4]);
            }
        }
        return -1;
    }

    /** {@link PortMapperMain} mapping {@link #PORT} with 4-second leases, in the gateway's LAN; its lines as it prints them. */
    private static final class Client implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final String protocol;
        private final Process process;
        private final OutputStream commands;
        private final Thread reader;

        Client(MiniupnpdGateway gateway, String protocol) throws IOException {
            this.protocol = protocol;
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(gateway.inLan(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), PortMapperMain.class.getName(), Integer.toString(PORT), protocol,
                    "4"))).redirectErrorStream(true).start();
            commands = process.getOutputStream();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the client ended
                }
            });
            reader.start();
        }

        void awaitMapped(int port, MiniupnpdGateway gateway) throws Exception {
            Await.until("port " + port + " mapped by " + protocol + " (client said " + lines + ", miniupnpd said "
                    + gateway.log() + ")", LIMIT, () -> lines.stream().anyMatch(
                            l -> l.startsWith("status " + protocol + "|") && l.contains("TCP " + port + " ")));
        }

        void send(String command) throws IOException {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        }

        /** Tells it to stop: it deletes its mappings and exits. */
        void stop() throws Exception {
            send("stop");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the client stopped");
            assertEquals(0, process.exitValue());
            reader.join(5000);
            assertTrue(lines.contains("closed"), lines.toString());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
