package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import io.graytorrent.testkit.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 55 with libtorrent 2.0 (Debian's python3-libtorrent, the test kit's fixture): libtorrent in each
 * of the three roles beside two {@link HolepunchNode}s, and our relay between two libtorrent peers;
 * every peer on a loopback address of its own.
 *
 * <p>What libtorrent does (src/bt_peer_connection.cpp {@code on_holepunch}, peer_connection.cpp
 * {@code connect_failed}, ut_pex.cpp): as a relay it answers a rendezvous for an endpoint one of its
 * connections has as its remote address (so the target must be a peer libtorrent dialled) and sends
 * the initiator's remote address to the target; its connect and rendezvous messages carry no error code
 * field (8 bytes for IPv4, not the BEP's 12). As a target it dials the connect's endpoint over uTP in
 * "holepunch mode". As an initiator it asks only a peer whose PEX message named the target with the
 * holepunch flag (0x08), and only when a dial fails to connect: a TCP dial (after its uTP dial failed
 * and it redialled over TCP), or with outgoing TCP off a second uTP dial. A connection that opens and
 * is then closed, which is all a peer wire can do with a TCP connection its kernel accepted, is not
 * such a failure.
 *
 * <p>"Cannot reach": with two of ours, a {@link UdpFirewall} on the test's UDP sockets: in front of our
 * target it drops libtorrent's datagrams until the target has sent it one; in front of a libtorrent
 * target it drops our initiator's datagrams to it until one came from it. So libtorrent initiates
 * with TCP off there (the fixture's {@code --transport utp}). Between two libtorrent peers it is the
 * kernel's: a network namespace of the test's own, nftables with conntrack in front of the target
 * (new TCP from the initiator reset, new UDP dropped, replies passed), our relay a child JVM in it,
 * both libtorrent peers dialling uTP then TCP as by default. A libtorrent target takes no peers from
 * PEX ({@code --no-pex}), or it would dial the initiator itself, which is not a holepunch.
 */
@Interop
@Timeout(120)
class HolepunchInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int PIECE_LENGTH = 16 * 1024;

    @TempDir
    static Path shared;
    private static Path torrentFile;
    private static InfoHash infoHash;
    private static int pieces;

    @TempDir
    Path workdir;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @BeforeAll
    static void createTorrent() throws Exception {
        byte[] payload = new byte[4 * PIECE_LENGTH];
        new Random(55).nextBytes(payload);
        Path file = Files.write(shared.resolve("holepunch.bin"), payload);
        torrentFile = shared.resolve("holepunch.torrent");
        String description = Libtorrent.run(Duration.ofSeconds(30), "create", file.toString(), torrentFile.toString(),
                "v1", Integer.toString(PIECE_LENGTH));
        infoHash = InfoHash.parse(description.replaceAll("(?s).*\"infohash\": \"([0-9a-f]{40})\".*", "$1"));
        pieces = payload.length / PIECE_LENGTH;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private HolepunchNode node(String ip, String... transports) throws Exception {
        HolepunchNode node = new HolepunchNode(ip, infoHash, pieces, List.of(transports));
        toClose.addFirst(node);
        return node;
    }

    /** A libtorrent peer wanting nothing, plaintext, on {@code ip}; {@code options} as the fixture takes them. */
    private LibtorrentPeer libtorrent(String ip, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of("--skip-all"));
        all.addAll(List.of(options));
        return libtorrent(null, ip, all.toArray(String[]::new));
    }

    /** A libtorrent leecher, plaintext, on {@code ip} in {@code namespace} (null: none). */
    private LibtorrentPeer libtorrent(NetworkNamespace namespace, String ip, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of("--address", ip, "--encryption", "disabled"));
        all.addAll(List.of(options));
        LibtorrentPeer peer = new LibtorrentPeer(namespace, "leech", torrentFile.toString(),
                Files.createDirectories(workdir.resolve(ip)), workdir.resolve(ip + ".log"), all.toArray(String[]::new));
        toClose.addFirst(peer);
        return peer;
    }

    private static InetSocketAddress address(LibtorrentPeer peer) {
        return new InetSocketAddress(peer.host, peer.port);
    }

    /** libtorrent's peers line for its connection with {@code ip}, once one over uTP is past its handshake. */
    private static String utpPeerLine(LibtorrentPeer peer, InetAddress ip) throws Exception {
        Predicate<String> wanted = line -> line.contains("address=" + ip.getHostAddress() + ":")
                && line.contains("transport=utp") && line.contains("state=connected");
        List<String> lines = Await.value("libtorrent connected over uTP with " + ip.getHostAddress(), LIMIT, peer::peers,
                all -> all.stream().anyMatch(wanted));
        return lines.stream().filter(wanted).findFirst().orElseThrow();
    }

    @Test
    void libtorrentRelaysBetweenOurInitiatorAndOurTarget() throws Exception {
        LibtorrentPeer relay = libtorrent("127.0.55.1", "--transport", "tcp");
        HolepunchNode initiator = node("127.0.55.2", "tcp");
        HolepunchNode target = node("127.0.55.3", "tcp");
        // libtorrent relays only to a target whose remote address is the endpoint asked for: one it dialled
        relay.connect(target.listen.getHostString(), target.listen.getPort());
        Await.until("libtorrent's extension handshake with the target", LIMIT, () -> target.extended.size() == 1);
        // only now: libtorrent's first PEX message to the initiator leaves out a peer still in its handshake,
        // and the next one is a minute later
        relay.connect(initiator.listen.getHostString(), initiator.listen.getPort());
        Await.until("libtorrent's extension handshake with the initiator", LIMIT, () -> initiator.extended.size() == 1);
        // from now on the target accepts only what comes from the initiator's UDP socket: its uTP
        target.admits = initiator.listen::equals;
        Await.until("the initiator learnt of the target from libtorrent's PEX", LIMIT,
                () -> initiator.found.contains(target.listen));

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> initiator.dial(target).get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        System.out.println("the initiator's TCP dial failed: " + refused.getCause().getMessage());
        Await.until("the initiator and the target connected over uTP", LIMIT,
                () -> initiator.connectedOverUtpTo(target) && target.connectedOverUtpTo(initiator));
        // neither dials over uTP unless told to, and libtorrent is the only peer that could tell them
        assertEquals(List.of(target.listen), initiator.toldToDial, "libtorrent's connect to the initiator");
        assertEquals(List.of(initiator.listen), target.toldToDial, "libtorrent's connect to the target");
        assertEquals(2, relay.peers().size(), "libtorrent's connections with both stay open: " + relay.peers());
    }

    @Test
    void ourRelayJoinsTwoLibtorrentPeersTheKernelKeepsApart() throws Exception {
        NetworkNamespace namespace = NetworkNamespace.create();
        toClose.addFirst(namespace);
        String relayIp = "127.0.58.1";
        String initiatorIp = "127.0.58.2";
        String targetIp = "127.0.58.3";
        // a stateful firewall in front of the target: nothing new from the initiator, replies pass
        nft(namespace, """
                table inet holepunch {
                    chain input {
                        type filter hook input priority 0; policy accept;
                        ip saddr %1$s ip daddr %2$s ct state new meta l4proto tcp counter reject with tcp reset
                        ip saddr %1$s ip daddr %2$s ct state new meta l4proto udp counter drop
                    }
                }
                """.formatted(initiatorIp, targetIp));
        // both dial uTP first and TCP when it gets no answer, as libtorrent does by default
        LibtorrentPeer target = libtorrent(namespace, targetIp, "--transport", "both", "--no-pex");
        LibtorrentPeer initiator = libtorrent(namespace, initiatorIp, "--transport", "both");
        relay(namespace, relayIp, address(target), address(initiator));

        // the initiator's uTP dial goes unanswered, its TCP dial is reset, it asks our relay, the target dials it
        String line = utpPeerLine(initiator, InetAddress.getByName(targetIp));
        System.out.println("the initiator's connection with the target: " + line);
        System.out.println("the target's connection with the initiator: "
                + utpPeerLine(target, InetAddress.getByName(initiatorIp)));
        String rules = nftOutput(namespace, "list", "chain", "inet", "holepunch", "input");
        assertTrue(rules.matches("(?s).*tcp counter packets [1-9].*udp counter packets [1-9].*"),
                "both of the initiator's direct dials were refused: " + rules);
    }

    /** Our relay as a child JVM in {@code namespace}, once it has dialled both and sent them PEX. */
    private void relay(NetworkNamespace namespace, String ip, InetSocketAddress target, InetSocketAddress initiator)
            throws Exception {
        List<String> command = namespace.command(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-cp", System.getProperty("java.class.path"), HolepunchRelayProcess.class.getName(), ip,
                infoHash.toHex(), Integer.toString(pieces), target.getHostString() + ":" + target.getPort(),
                initiator.getHostString() + ":" + initiator.getPort()));
        Path log = workdir.resolve("relay.log");
        Process relay = new ProcessBuilder(command).redirectError(log.toFile()).start();
        toClose.addFirst(() -> {
            relay.destroyForcibly();
            relay.waitFor(10, TimeUnit.SECONDS);
        });
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return e.getMessage();
            }
        }).completeOnTimeout("no answer in 60 s", 60, TimeUnit.SECONDS).get();
        assertEquals("relaying", first, () -> "our relay process: " + readQuietly(log));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Loads {@code script} into the namespace's nftables, or skips the test saying why it cannot. */
    private void nft(NetworkNamespace namespace, String script) throws Exception {
        Path file = Files.writeString(workdir.resolve("holepunch.nft"), script);
        try {
            nftOutput(namespace, "-f", file.toString());
        } catch (AssertionError | IOException e) {
            Assumptions.abort("skipped: no nftables with conntrack in the test's namespace: " + e.getMessage());
        }
    }

    private static String nftOutput(NetworkNamespace namespace, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("nft"));
        command.addAll(List.of(arguments));
        Process nft = new ProcessBuilder(namespace.command(command)).redirectErrorStream(true).start();
        if (!nft.waitFor(20, TimeUnit.SECONDS)) {
            nft.destroyForcibly();
            throw new AssertionError("nft did not finish in 20 s");
        }
        String output = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (nft.exitValue() != 0) {
            throw new AssertionError(command + ": " + output);
        }
        return output;
    }

    @Test
    void libtorrentAsTargetAnswersOurRelaysConnect() throws Exception {
        HolepunchNode relay = node("127.0.56.1", "tcp");
        HolepunchNode initiator = node("127.0.56.2", HolepunchNode.UTP);
        LibtorrentPeer target = libtorrent("127.0.56.3", "--transport", "utp", "--no-pex");
        InetSocketAddress targetAddress = address(target);
        initiator.firewall.guardOutbound(targetAddress.getAddress());
        relay.dial(initiator).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        target.connect(relay.listen.getHostString(), relay.listen.getPort());
        Await.until("the extension handshakes with the relay", LIMIT,
                () -> relay.extended.size() == 2 && initiator.extended.size() == 1);
        relay.exchange.tick();
        Await.until("the initiator learnt of libtorrent from the relay's PEX", LIMIT,
                () -> initiator.found.contains(targetAddress));

        ExecutionException unanswered = assertThrows(ExecutionException.class,
                () -> initiator.dial(targetAddress).get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        System.out.println("the initiator's uTP dial failed: " + unanswered.getCause().getMessage());
        int droppedBefore = initiator.firewall.dropped();
        assertTrue(droppedBefore > 0, "the direct dial's SYNs were dropped");
        Await.until("the initiator connected with libtorrent over uTP", LIMIT,
                () -> initiator.connectedOverUtpTo(targetAddress.getAddress()));
        assertEquals(List.of(targetAddress), initiator.toldToDial, "the relay's connect named libtorrent");
        String line = utpPeerLine(target, initiator.listen.getAddress());
        System.out.println("libtorrent's connection with the initiator: " + line);
    }

    @Test
    void libtorrentAsInitiatorAsksOurRelayAndReachesOurTarget() throws Exception {
        HolepunchNode relay = node("127.0.57.1", "tcp");
        HolepunchNode target = node("127.0.57.3", "tcp");
        LibtorrentPeer initiator = libtorrent("127.0.57.2", "--transport", "utp");
        InetSocketAddress initiatorAddress = address(initiator);
        target.firewall.guardInbound(initiatorAddress.getAddress());
        relay.dial(target).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        initiator.connect(relay.listen.getHostString(), relay.listen.getPort());
        Await.until("the extension handshakes with the relay", LIMIT,
                () -> relay.extended.size() == 2 && target.extended.size() == 1);
        // tells libtorrent of the target, flagged as speaking ut_holepunch: the only peer it asks to relay
        relay.exchange.tick();

        // libtorrent dials over uTP, unanswered; again; then asks the relay, which tells both sides
        Await.until("our relay told the target to dial libtorrent", LIMIT,
                () -> target.toldToDial.contains(initiatorAddress));
        assertTrue(target.firewall.dropped() > 0, "libtorrent's direct SYNs were dropped");
        Await.until("the target connected with libtorrent over uTP", LIMIT,
                () -> target.connectedOverUtpTo(initiatorAddress.getAddress()));
        String line = utpPeerLine(initiator, target.listen.getAddress());
        System.out.println("libtorrent's connection with the target: " + line);
        assertEquals(List.of(initiatorAddress), target.toldToDial, "the relay's one connect to the target");
    }
}
