package io.graytorrent.portmap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port mapper against Debian's miniupnpd as the gateway ({@link MiniupnpdGateway}), run in a JVM
 * of its own inside the client's namespace: the mapping of our port for TCP and UDP appears in the
 * gateway's nftables rules and lease file, is renewed before its 4-second lease ends (the lease
 * file's expiry moves on), and is gone from both after the mapper stops. Once over UPnP IGD, once
 * over NAT-PMP.
 */
@Interop
class MiniupnpdInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int PORT = 16881;

    @TempDir
    Path dir;

    @Test
    void upnpMapsTcpAndUdpRenewsAndDeletesAtStop() throws Exception {
        mapsRenewsAndDeletes("upnp");
    }

    @Test
    void natPmpMapsTcpAndUdpRenewsAndDeletesAtStop() throws Exception {
        mapsRenewsAndDeletes("natpmp");
    }

    private void mapsRenewsAndDeletes(String protocol) throws Exception {
        try (MiniupnpdGateway gateway = MiniupnpdGateway.start(dir)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process client = new ProcessBuilder(gateway.inLan(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), PortMapperMain.class.getName(), Integer.toString(PORT), protocol, "4")))
                    .redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the client ended
                }
            });
            reader.start();
            try {
                String tcp = "0x6 th dport " + PORT + " dnat ip to " + MiniupnpdGateway.CLIENT + ":" + PORT;
                String udp = "0x11 th dport " + PORT + " dnat ip to " + MiniupnpdGateway.CLIENT + ":" + PORT;
                Await.until("mapped by " + protocol + " (client said " + lines + ", miniupnpd said " + gateway.log() + ")", LIMIT,
                        () -> lines.stream().anyMatch(l -> l.startsWith("status " + protocol + "|") && l.contains("TCP " + PORT)));
                assertTrue(lines.contains("external " + MiniupnpdGateway.EXTERNAL), lines.toString());
                String rules = gateway.rules();
                assertTrue(rules.contains(tcp) && rules.contains(udp), rules);
                long expiry = expiry(gateway.leases(), "TCP");
                assertTrue(expiry > 0 && expiry(gateway.leases(), "UDP") > 0, gateway.leases().toString());

                Await.until("renewed (client said " + lines + ")", LIMIT,
                        () -> lines.stream().anyMatch(l -> l.startsWith("status " + protocol + "|") && !l.endsWith("|0")));
                Await.until("the lease moved on (" + gateway.leases() + ")", LIMIT,
                        () -> expiry(gateway.leases(), "TCP") > expiry);
                assertTrue(gateway.rules().contains(tcp), "still mapped after the renewal");

                try (OutputStream in = client.getOutputStream()) {
                    in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the client stopped");
                assertEquals(0, client.exitValue());
                reader.join(5000);
                assertTrue(lines.contains("closed"), lines.toString());
                String after = gateway.rules();
                assertFalse(after.contains("dport " + PORT), after);
                assertEquals(-1, expiry(gateway.leases(), "TCP"), gateway.leases().toString());
                assertEquals(-1, expiry(gateway.leases(), "UDP"), gateway.leases().toString());
            } finally {
                client.destroyForcibly();
                client.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The expiry miniupnpd's lease file gives our port's mapping for {@code protocol}, or -1 without one. */
    private static long expiry(List<String> leases, String protocol) {
        for (String lease : leases) {
            String[] fields = lease.split(":", 6);
            if (fields.length == 6 && fields[0].equals(protocol) && fields[1].equals(Integer.toString(PORT))) {
                return Long.parseLong(fields[4]);
            }
        }
        return -1;
    }
}
