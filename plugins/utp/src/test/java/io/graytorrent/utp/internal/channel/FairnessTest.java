package io.graytorrent.utp.internal.channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.NetworkNamespace;
import io.graytorrent.testkit.Slow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * uTP yields to TCP on a real shared bottleneck. Three network namespaces of the test's own joined
 * by veth pairs, sender — router — receiver; the router forwards toward the receiver through a
 * {@code tc tbf} qdisc of 16 Mbit/s holding up to 600 KB (300 ms), the acks come back unshaped.
 * The bottleneck is a hop away from the sender on purpose: in the sender's own qdisc Linux's TCP
 * Small Queues would let TCP keep only a couple of packets queued, so TCP could never fill the
 * queue as it does on a real link. One uTP flow ({@link FairnessRun}, child JVMs inside the
 * namespaces) runs alone for {@value #ALONE} s and then beside one loss-based TCP flow (CUBIC or
 * Reno) for {@value #SHARED} s. Alone, uTP must fill most of the link (so its yielding is not
 * mere slowness); shared, TCP fills the queue past LEDBAT's 100 ms target and must get most of
 * the link. Skipped with the reason where the namespaces, veth, {@code tc} or a loss-based TCP
 * are not available.
 */
@Slow
@Timeout(120)
class FairnessTest {
    private static final int ALONE = 8;
    private static final int SHARED = 12;
    /** The receiver's ports: the namespace is the test's own, so they are free. */
    private static final int UTP_PORT = 7001;
    private static final int TCP_PORT = 7002;
    private static final String SENDER = "10.77.1.1";
    private static final String RECEIVER = "10.77.2.1";
    /** 16 Mbit/s in bytes a second. */
    private static final double LINK = 2_000_000;

    @TempDir
    Path work;

    @Test
    void aUtpFlowYieldsToATcpFlowOnASharedBottleneck() throws Exception {
        try (NetworkNamespace sender = NetworkNamespace.create(); NetworkNamespace router = NetworkNamespace.create();
                NetworkNamespace receiver = NetworkNamespace.create()) {
            String failed = link(sender, router, receiver);
            Assumptions.assumeTrue(failed.isEmpty(), "skipped: cannot build the shaped link: " + failed);
            String tcp = lossBasedTcp(sender);
            Process receiving = java(receiver, "receive", RECEIVER, UTP_PORT, TCP_PORT, ALONE + SHARED)
                    .redirectErrorStream(true).start();
            Path senderLog = work.resolve("sender.log");
            Process sending = null;
            List<long[]> seconds = new ArrayList<>();
            List<String> output = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(receiving.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                    System.out.println("fairness receiver: " + line);
                    if (line.equals("ready") && sending == null) {
                        sending = java(sender, "send", SENDER, RECEIVER, UTP_PORT, TCP_PORT, ALONE, SHARED)
                                .redirectErrorStream(true).redirectOutput(senderLog.toFile()).start();
                    } else if (line.startsWith("second=")) {
                        String[] fields = line.split("[ =]");
                        seconds.add(new long[] {Long.parseLong(fields[3]), Long.parseLong(fields[5])});
                    }
                }
            } finally {
                stop(receiving);
                if (sending != null) {
                    stop(sending);
                }
            }
            String sent = Files.exists(senderLog) ? Files.readString(senderLog) : "";
            System.out.println("fairness sender: " + sent.strip());
            assertTrue(output.contains("done") && seconds.size() == ALONE + SHARED, output + "\n" + sent);
            // rates over settled spans: uTP alone from its 3rd second, both from 4 s after TCP joined
            double utpAlone = (seconds.get(ALONE - 1)[0] - seconds.get(2)[0]) / (ALONE - 3.0);
            int from = ALONE + 4;
            int to = ALONE + SHARED;
            double utpShared = (seconds.get(to - 1)[0] - seconds.get(from - 1)[0]) / (double) (to - from);
            double tcpShared = (seconds.get(to - 1)[1] - seconds.get(from - 1)[1]) / (double) (to - from);
            String rates = String.format("uTP alone %.0f KB/s; shared: uTP %.0f KB/s, TCP (%s) %.0f KB/s (link %.0f KB/s)",
                    utpAlone / 1000, utpShared / 1000, tcp, tcpShared / 1000, LINK / 1000);
            System.out.println(rates);
            assertTrue(utpAlone >= 0.7 * LINK, "uTP alone uses the link: " + rates);
            assertTrue(tcpShared >= 0.6 * LINK, "TCP gets most of the link: " + rates);
            assertTrue(tcpShared >= 3 * utpShared, "uTP yields to TCP: " + rates);
        }
    }

    /**
     * sender 10.77.1.1 — 10.77.1.2 router 10.77.2.2 — 10.77.2.1 receiver, the router's side toward
     * the receiver shaped. Empty when it worked, else what failed.
     */
    private static String link(NetworkNamespace sender, NetworkNamespace router, NetworkNamespace receiver)
            throws Exception {
        String routerPid = Long.toString(router.pid());
        List<List<String>> steps = List.of(
                List.of("ip", "link", "add", "s0", "type", "veth", "peer", "name", "rs", "netns", routerPid),
                List.of("ip", "addr", "add", SENDER + "/24", "dev", "s0"),
                List.of("ip", "link", "set", "s0", "up"),
                List.of("ip", "route", "add", "default", "via", "10.77.1.2"));
        List<List<String>> receiverSteps = List.of(
                List.of("ip", "link", "add", "r0", "type", "veth", "peer", "name", "rr", "netns", routerPid),
                List.of("ip", "addr", "add", RECEIVER + "/24", "dev", "r0"),
                List.of("ip", "link", "set", "r0", "up"),
                List.of("ip", "route", "add", "default", "via", "10.77.2.2"));
        List<List<String>> routerSteps = List.of(
                List.of("ip", "addr", "add", "10.77.1.2/24", "dev", "rs"),
                List.of("ip", "link", "set", "rs", "up"),
                List.of("ip", "addr", "add", "10.77.2.2/24", "dev", "rr"),
                List.of("ip", "link", "set", "rr", "up"),
                List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"),
                List.of("tc", "qdisc", "add", "dev", "rr", "root", "tbf", "rate", "16mbit", "burst", "20kb", "limit",
                        "600000"));
        String failed = runAll(sender, steps) + runAll(receiver, receiverSteps);
        return failed.isEmpty() ? runAll(router, routerSteps) : failed;
    }

    private static String runAll(NetworkNamespace namespace, List<List<String>> commands) throws Exception {
        for (List<String> command : commands) {
            String failed = run(namespace, command.toArray(String[]::new));
            if (!failed.isEmpty()) {
                return failed;
            }
        }
        return "";
    }

    /**
     * A loss-based TCP for the sender, the kind LEDBAT is made to yield to: a namespace starts with
     * the host's choice, and BBR (this machine's) keeps the queue nearly empty, so it never pushes
     * the delay up. CUBIC, else Reno (a host may allow only some to a namespace).
     */
    private static String lossBasedTcp(NetworkNamespace namespace) throws Exception {
        List<String> refusals = new ArrayList<>();
        for (String algorithm : List.of("cubic", "reno")) {
            String refused = run(namespace, "sysctl", "-q", "-w", "net.ipv4.tcp_congestion_control=" + algorithm);
            if (refused.isEmpty()) {
                return algorithm;
            }
            refusals.add(refused);
        }
        Assumptions.abort("skipped: no loss-based TCP can be set in the namespace: " + refusals);
        throw new AssertionError("unreachable");
    }

    private static ProcessBuilder java(NetworkNamespace namespace, Object... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), FairnessRun.class.getName()));
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        return new ProcessBuilder(namespace.command(command));
    }

    private static void stop(Process process) throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs a command inside the namespace; empty when it succeeded, else what it said. */
    private static String run(NetworkNamespace namespace, String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(namespace.command(List.of(command))).redirectErrorStream(true).start();
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + ": no end in 10 s";
        }
        return process.exitValue() == 0 ? "" : String.join(" ", command) + " exited " + process.exitValue() + ": "
                + output;
    }
}
