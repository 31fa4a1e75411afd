package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 55 with libtorrent 2.0 (Debian's python3-libtorrent, the test kit's fixture) in each of the three
 * roles, the other two being {@link HolepunchNode}s, each on a loopback address of its own.
 *
 * <p>What libtorrent does (src/bt_peer_connection.cpp {@code on_holepunch}, peer_connection.cpp
 * {@code connect_failed}, ut_pex.cpp): as a relay it answers a rendezvous for an endpoint one of its
 * connections has as its remote address (so the target must be a peer libtorrent dialled) and sends
 * the initiator's remote address to the target; its connect and rendezvous messages carry no error code
 * field (8 bytes for IPv4, not the BEP's 12). As a target it dials the connect's endpoint over uTP in
 * "holepunch mode". As an initiator it asks only a peer whose PEX message named the target with the
 * holepunch flag (0x08), and only when a dial fails to connect: a uTP dial failing (after which it
 * redials over uTP) with outgoing TCP off, or a TCP dial failing. A connection that opens and is then
 * closed, which is all a peer wire can do with a TCP connection its kernel accepted, is not such a
 * failure, so libtorrent initiates here with TCP off (the fixture's {@code --transport utp}) and the
 * refusal is at the uTP level.
 *
 * <p>"Cannot reach" is the {@link UdpFirewall}: in front of our target it drops libtorrent's datagrams
 * until the target has sent it one; in front of a libtorrent target it drops our initiator's
 * datagrams to it until one came from it. A libtorrent target also takes no peers from PEX
 * ({@code --no-pex}), or it would dial the initiator itself, which is not a holepunch. Between two
 * libtorrent peers with ours relaying, the refusal would have to be the kernel's (nftables in a
 * namespace, the engine as a process there); that combination is not tested here.
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
        List<String> all = new ArrayList<>(List.of("--address", ip, "--encryption", "disabled", "--skip-all"));
        all.addAll(List.of(options));
        LibtorrentPeer peer = new LibtorrentPeer("leech", torrentFile, Files.createDirectories(workdir.resolve(ip)),
                workdir.resolve(ip + ".log"), all.toArray(String[]::new));
        toClose.addFirst(peer);
        return peer;
    }

    private static InetSocketAddress address(LibtorrentPeer peer) {
        return new InetSocketAddress(peer.host, peer.port);
    }

    /** libtorrent's peers line for its connection with {@code ip}, once there is one over uTP. */
    private static String utpPeerLine(LibtorrentPeer peer, InetAddress ip) throws Exception {
        String prefix = "address=" + ip.getHostAddress() + ":";
        List<String> lines = Await.value("libtorrent connected over uTP with " + ip.getHostAddress(), LIMIT, peer::peers,
                all -> all.stream().anyMatch(line -> line.contains(prefix) && line.contains("transport=utp")));
        return lines.stream().filter(line -> line.contains(prefix) && line.contains("transport=utp")).findFirst().orElseThrow();
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
