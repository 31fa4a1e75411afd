package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bindInterface} in two network namespaces the test creates ({@code ip netns}): ours has two
 * interfaces, c1 (10.91.1.1) and c2 (10.91.2.1), veth pairs to a second namespace holding the peer at
 * 10.91.9.9, reachable by either; the routing table prefers c1. A child JVM inside ours dials the peer
 * (a plaintext BitTorrent handshake answered by a small python3 server there, which prints whom it
 * sees). Unbound the peer sees 10.91.1.1; bound to c2 it sees 10.91.2.1 and c1 sends not one packet;
 * with c2 down the dial fails saying so and nothing leaves by c1; with c2 back the dial works again.
 * Skipped, saying why, where namespaces cannot be made.
 */
@Slow
@Timeout(180)
class BindInterfaceNamespaceTest {
    private static final String HASH = "5a".repeat(20);
    private static final String PEER_SERVER = String.join("\n",
            "import socket, sys, threading, time",
            "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('10.91.9.9', 6881)); s.listen(16); print('ready', flush=True)",
            "def serve(c, a):",
            "    got = b''",
            "    while len(got) < 68:",
            "        more = c.recv(68 - len(got))",
            "        if not more: return",
            "        got += more",
            "    c.sendall(got[:20] + bytes(8) + got[28:48] + b'-PY0001-123456789012')",
            "    print('from ' + a[0], flush=True); c.close()",
            "while True:",
            "    c, a = s.accept(); threading.Thread(target=serve, args=(c, a), daemon=True).start()");

    private final String ours = "gtc" + ProcessHandle.current().pid();
    private final String theirs = "gts" + ProcessHandle.current().pid();
    private Process peer;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void namespaces() throws Exception {
        String made = run(List.of("ip", "netns", "add", ours));
        Assumptions.assumeTrue(made.isEmpty(), "skipped: cannot create a network namespace here: " + made);
        must(List.of("ip", "netns", "add", theirs));
        for (String ns : List.of(ours, theirs)) {
            // no IPv6: its router solicitations would move the packet counters by themselves
            must(List.of("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1"));
        }
        must(List.of("ip", "-n", ours, "link", "add", "c1", "type", "veth", "peer", "name", "s1", "netns", theirs));
        must(List.of("ip", "-n", ours, "link", "add", "c2", "type", "veth", "peer", "name", "s2", "netns", theirs));
        must(List.of("ip", "-n", ours, "addr", "add", "10.91.1.1/24", "dev", "c1"));
        must(List.of("ip", "-n", ours, "addr", "add", "10.91.2.1/24", "dev", "c2"));
        must(List.of("ip", "-n", theirs, "addr", "add", "10.91.1.2/24", "dev", "s1"));
        must(List.of("ip", "-n", theirs, "addr", "add", "10.91.2.2/24", "dev", "s2"));
        must(List.of("ip", "-n", theirs, "addr", "add", "10.91.9.9/32", "dev", "lo"));
        for (String link : List.of("lo", "c1", "c2")) {
            must(List.of("ip", "-n", ours, "link", "set", link, "up"));
        }
        for (String link : List.of("lo", "s1", "s2")) {
            must(List.of("ip", "-n", theirs, "link", "set", link, "up"));
        }
        // fixed neighbours: ARP probes and replies (one came seconds after a connection, in a CI run)
        // would move the packet counters by themselves
        for (String[] link : new String[][] {{"c1", "s1", "10.91.1.1", "10.91.1.2"}, {"c2", "s2", "10.91.2.1", "10.91.2.2"}}) {
            must(List.of("ip", "-n", ours, "neigh", "replace", link[3], "lladdr", mac(theirs, link[1]), "dev", link[0],
                    "nud", "permanent"));
            must(List.of("ip", "-n", theirs, "neigh", "replace", link[2], "lladdr", mac(ours, link[0]), "dev", link[1],
                    "nud", "permanent"));
        }
        must(List.of("ip", "-n", ours, "route", "add", "10.91.9.9/32", "via", "10.91.1.2", "dev", "c1", "metric", "10"));
        must(List.of("ip", "-n", ours, "route", "add", "10.91.9.9/32", "via", "10.91.2.2", "dev", "c2", "metric", "20"));
        peer = new ProcessBuilder("ip", "netns", "exec", theirs, "/usr/bin/python3", "-c", PEER_SERVER)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertEquals("ready", first, "the peer's server started");
        Thread reader = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    seen.add(line);
                }
            } catch (IOException closed) {
                // the server ended
            }
        }, "namespace-peer-output");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterEach
    void remove() throws Exception {
        if (peer != null) {
            peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        run(List.of("ip", "netns", "del", ours));
        run(List.of("ip", "netns", "del", theirs));
    }

    @Test
    void everythingLeavesByTheBoundInterfaceAndNothingWhileItIsDown() throws Exception {
        assertEquals("connected", dial("-"));
        Await.until("the peer saw us", Duration.ofSeconds(5), () -> seen.size() == 1);
        assertEquals("from 10.91.1.1", seen.get(0), "unbound, the routing table's choice: c1");

        long c1Before = quiet("c1"); // the unbound connection's last packets are out
        long c2Before = txPackets("c2");
        assertEquals("connected", dial("c2"));
        Await.until("the peer saw us again", Duration.ofSeconds(5), () -> seen.size() == 2);
        assertEquals("from 10.91.2.1", seen.get(1), "bound to c2, whatever the routes prefer");
        assertEquals(c1Before, txPackets("c1"), "not one packet by c1");
        assertTrue(txPackets("c2") > c2Before, "the connection's packets went by c2");

        // the bound connection's teardown is over before c2 goes down: a segment of it retransmitted
        // afterwards could leave by c1
        quiet("c2");
        must(List.of("ip", "-n", ours, "link", "set", "c2", "down"));
        long c1Down = quiet("c1");
        String refused = dial("c2");
        assertTrue(refused.startsWith("failed: ") && refused.contains("interface c2 is down"), refused);
        assertEquals(c1Down, txPackets("c1"), "nothing fell back to c1");
        assertEquals(2, seen.size());

        must(List.of("ip", "-n", ours, "link", "set", "c2", "up"));
        must(List.of("ip", "-n", ours, "route", "replace", "10.91.9.9/32", "via", "10.91.2.2", "dev", "c2", "metric", "20"));
        assertEquals("connected", dial("c2"), "back when the interface returns");
        Await.until("the peer saw us a third time", Duration.ofSeconds(5), () -> seen.size() == 3);
        assertEquals("from 10.91.2.1", seen.get(2));
    }

    /** A child JVM in our namespace dialling the peer bound to {@code device} ("-": unbound); its one line. */
    private String dial(String device) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder("ip", "netns", "exec", ours, java.toString(), "-cp",
                System.getProperty("java.class.path"), BoundDial.class.getName(), device, "10.91.9.9", "6881", HASH)
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        return lines.stream().filter(l -> l.equals("connected") || l.startsWith("failed: ")).findFirst()
                .orElse("no result: " + lines);
    }

    /** {@code link}'s packets sent, once a second has passed without one more. */
    private long quiet(String link) throws Exception {
        long before = txPackets(link);
        for (int i = 0; i < 10; i++) {
            Thread.sleep(1000);
            long now = txPackets(link);
            if (now == before) {
                return now;
            }
            before = now;
        }
        throw new AssertionError(link + " kept sending for 10 s");
    }

    private static String mac(String namespace, String link) throws Exception {
        String json = run(List.of("ip", "-j", "-n", namespace, "link", "show", "dev", link));
        Matcher address = Pattern.compile("\"address\":\"([0-9a-f:]{17})\"").matcher(json);
        assertTrue(address.find(), json);
        return address.group(1);
    }

    private long txPackets(String link) throws Exception {
        String json = run(List.of("ip", "-j", "-s", "-n", ours, "link", "show", "dev", link));
        Matcher tx = Pattern.compile("\"tx\":\\{\"bytes\":\\d+,\"packets\":(\\d+)").matcher(json);
        assertTrue(tx.find(), json);
        return Long.parseLong(tx.group(1));
    }

    private static void must(List<String> command) throws Exception {
        String output = run(command);
        assertEquals("", output, String.join(" ", command));
    }

    /** Runs {@code command}, bounded; its output, with a non-zero exit status appended. */
    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out: " + output;
        }
        return process.exitValue() == 0 ? output : (output + " (exit " + process.exitValue() + ")").strip();
    }
}
