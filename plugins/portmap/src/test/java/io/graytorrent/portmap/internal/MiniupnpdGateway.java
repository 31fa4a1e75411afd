package io.graytorrent.portmap.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's miniupnpd as a home gateway, in two network namespaces of the test's own: {@code gw}
 * (the gateway: {@code lan0} 10.77.0.1/24 inside, {@code wan0} 11.22.33.44/24 outside, its nftables
 * table and chains, miniupnpd with UPnP IGD and NAT-PMP) and {@code lan} (the client's
 * {@code lanpeer}, 10.77.0.2/24, default route via the gateway). The veth pairs live only inside
 * them; nothing reaches the host's network. Skips the test, saying why, where namespaces cannot be
 * made or miniupnpd or nft is missing. {@link #close} ends miniupnpd (by its PID) and deletes both.
 */
final class MiniupnpdGateway implements AutoCloseable {
    static final String GATEWAY = "10.77.0.1";
    static final String CLIENT = "10.77.0.2";
    static final String EXTERNAL = "11.22.33.44";
    private static final Path MINIUPNPD = Path.of("/usr/sbin/miniupnpd");

    private final String gw;
    private final String lan;
    private final Path dir;
    private final Path leases;
    private Process daemon;

    private MiniupnpdGateway(Path dir) {
        String id = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime() % 100000;
        this.gw = "gt-gw-" + id;
        this.lan = "gt-lan-" + id;
        this.dir = dir;
        this.leases = dir.resolve("leases");
    }

    static MiniupnpdGateway start(Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MINIUPNPD), "skipped: no " + MINIUPNPD + " (Debian package miniupnpd)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "skipped: no /usr/sbin/nft (Debian package nftables)");
        MiniupnpdGateway gateway = new MiniupnpdGateway(dir);
        String made = gateway.sh("ip netns add " + gateway.gw);
        if (made != null) {
            Assumptions.abort("skipped: cannot create a network namespace here (ip netns add needs root): " + made);
        }
        try {
            gateway.setUp();
        } catch (Exception | AssertionError e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void setUp() throws Exception {
        String g = "ip netns exec " + gw + " ";
        String l = "ip netns exec " + lan + " ";
        check("ip netns add " + lan);
        check(g + "ip link set lo up");
        check(l + "ip link set lo up");
        check(g + "ip link add lan0 type veth peer name lanpeer");
        check(g + "ip link set lanpeer netns " + lan);
        check(g + "ip link add wan0 type veth peer name wanpeer");
        check(g + "ip addr add " + GATEWAY + "/24 dev lan0");
        check(g + "ip addr add " + EXTERNAL + "/24 dev wan0");
        check(g + "ip link set lan0 up");
        check(g + "ip link set wan0 up");
        check(g + "ip link set wanpeer up");
        check(l + "ip addr add " + CLIENT + "/24 dev lanpeer");
        check(l + "ip link set lanpeer up");
        check(l + "ip route add default via " + GATEWAY);
        // the table and chains miniupnpd's nftables backend fills (its defaults: table filter, chains miniupnpd,
        // prerouting_miniupnpd, postrouting_miniupnpd), as Debian's nft_init.sh makes them
        Path table = Files.writeString(dir.resolve("miniupnpd.nft"), """
                table inet filter {
                  chain forward { type filter hook forward priority 0; policy drop; jump miniupnpd; }
                  chain miniupnpd { }
                  chain prerouting_miniupnpd { type nat hook prerouting priority dstnat; policy accept; }
                  chain postrouting_miniupnpd { type nat hook postrouting priority srcnat; policy accept; }
                }
                """);
        check(g + "nft -f " + table);
        Path config = Files.writeString(dir.resolve("miniupnpd.conf"), """
                ext_ifname=wan0
                ext_ip=%s
                listening_ip=lan0
                port=0
                enable_upnp=yes
                enable_natpmp=yes
                secure_mode=yes
                system_uptime=yes
                min_lifetime=2
                uuid=1191a08c-ac2d-43df-aa1a-42b33593a956
                lease_file=%s
                allow 1024-65535 10.77.0.0/24 1024-65535
                deny 0-65535 0.0.0.0/0 0-65535
                """.formatted(EXTERNAL, leases));
        daemon = new ProcessBuilder("ip", "netns", "exec", gw, MINIUPNPD.toString(), "-f", config.toString(), "-d",
                "-P", dir.resolve("miniupnpd.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("miniupnpd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log().contains("Listening for NAT-PMP")) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("miniupnpd did not start: " + log());
            }
            Thread.sleep(50);
        }
    }

    /** {@code command} as run in the client's namespace. */
    List<String> inLan(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", lan));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The gateway's nftables rules, as {@code nft list ruleset} shows them. */
    String rules() throws Exception {
        return output("ip netns exec " + gw + " nft list ruleset");
    }

    /** miniupnpd's lease file: one line a mapping, {@code PROTO:EXT:CLIENT:INT:EXPIRY:DESCRIPTION}. */
    List<String> leases() throws IOException {
        return Files.exists(leases) ? Files.readAllLines(leases) : List.of();
    }

    String log() throws IOException {
        Path log = dir.resolve("miniupnpd.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private void check(String command) throws Exception {
        String failure = sh(command);
        if (failure != null) {
            throw new AssertionError(command + ": " + failure);
        }
    }

    /** Runs {@code command}; null when it exits 0, else its output. */
    private String sh(String command) throws Exception {
        Process process = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : out + " (exit " + process.exitValue() + ")";
    }

    private String output(String command) throws Exception {
        Process process = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws Exception {
        if (daemon != null) {
            daemon.destroy(); // SIGTERM to miniupnpd itself: ip netns exec execs it
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
        }
        sh("ip netns del " + lan);
        sh("ip netns del " + gw);
    }
}
