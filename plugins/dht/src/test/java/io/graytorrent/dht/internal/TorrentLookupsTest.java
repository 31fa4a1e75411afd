package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DHT as a peer source, on a small in-memory network and a fake clock. */
@Unit
class TorrentLookupsTest {
    private static final Duration TICK = Duration.ofMillis(250);
    private final Random random = new Random(16);
    private final FakeNetwork network = new FakeNetwork(16);
    private final List<DhtNode> nodes = new ArrayList<>();
    private final Map<Integer, DhtNode> members = new HashMap<>();
    private final List<TorrentLookups> sources = new ArrayList<>();
    private final InfoHash infoHash = InfoHash.of(NodeId.random(random).bytes());

    @Test
    void aLookupWaitsForNodesThenRetriesSoonWhileItFindsFewPeersAndEveryFifteenMinutesOnceItFindsMany() {
        TorrentLookups us = source(node("10.0.0.1"));
        us.start(new RunningTorrent(infoHash, false, 6881, false), peer -> { });
        assertEquals(0, us.lookupsStarted(), "no node known yet: nothing to ask");
        joinNetwork(12);
        run(Duration.ofSeconds(30));
        assertEquals(1, us.lookupsStarted(), "started at the first tick with nodes, found nobody");
        run(Duration.ofSeconds(40));
        assertEquals(2, us.lookupsStarted(), "retried after a minute");
        run(Duration.ofSeconds(120));
        assertEquals(3, us.lookupsStarted(), "then after two");

        for (int i = 0; i < TorrentLookups.FEW_PEERS; i++) {
            source(members.get(1 + i)).start(new RunningTorrent(infoHash, false, 7000 + i, true), peer -> { });
        }
        run(Duration.ofMinutes(5));
        long before = us.lookupsStarted();
        run(Duration.ofMinutes(13));
        assertEquals(before, us.lookupsStarted(), "enough peers found: nothing more for 15 minutes");
        run(Duration.ofMinutes(3));
        assertEquals(before + 1, us.lookupsStarted());
    }

    @Test
    void peersAnnouncedByOthersAreFoundWithTheirPortOrImpliedPortAndAStoppedTorrentHearsOfNoMore() {
        joinNetwork(12);
        run(Duration.ofSeconds(30));
        source(members.get(3)).start(new RunningTorrent(infoHash, false, 7003, true), peer -> { });
        TorrentLookups implied = new TorrentLookups(members.get(4), network.clock, port -> true);
        sources.add(implied);
        implied.start(new RunningTorrent(infoHash, false, 7004, true), peer -> { });
        run(Duration.ofSeconds(10));

        Set<InetSocketAddress> found = new HashSet<>();
        TorrentLookups us = source(members.get(6));
        us.start(new RunningTorrent(infoHash, false, 6881, false), found::add);
        run(Duration.ofSeconds(10));
        assertEquals(Set.of(new InetSocketAddress("10.0.1.3", 7003), new InetSocketAddress("10.0.1.4", 6881)), found,
                "one announced its port, the other the port of its DHT socket (implied_port)");

        us.stop(infoHash);
        found.clear();
        source(members.get(5)).start(new RunningTorrent(infoHash, false, 7005, true), peer -> { });
        run(Duration.ofMinutes(20));
        assertTrue(found.isEmpty(), "stopped: " + found);
    }

    @Test
    void movedToANewNodeTheTorrentsAreLookedUpThereWithTheSameConsumers() {
        joinNetwork(12);
        run(Duration.ofSeconds(30));
        source(members.get(2)).start(new RunningTorrent(infoHash, false, 7002, true), peer -> { });
        run(Duration.ofSeconds(10));
        Set<InetSocketAddress> found = new HashSet<>();
        TorrentLookups old = source(members.get(1));
        old.start(new RunningTorrent(infoHash, false, 6881, false), found::add);
        assertEquals(1, old.lookupsStarted());

        DhtNode fresh = node("10.0.2.1"); // as after BEP 42 gave us a new id: an empty table, joining
        fresh.bootstrap(List.of(new InetSocketAddress("10.0.1.0", 6881)));
        TorrentLookups moved = old.movedTo(fresh);
        sources.remove(old);
        sources.add(moved);
        found.clear();
        run(Duration.ofSeconds(10));
        assertEquals(2, moved.lookupsStarted(), "looked up again once the new node knew nodes");
        assertEquals(1, moved.torrentCount());
        assertTrue(found.contains(new InetSocketAddress("10.0.1.2", 7002)), "found through the new node: " + found);
    }

    @Test
    void aMagnetLinkAddedWhileHundredsOfSeedsWaitForALookupIsLookedUpBeforeThem() {
        joinNetwork(12);
        run(Duration.ofSeconds(30));
        source(members.get(5)).start(new RunningTorrent(infoHash, false, 7005, true), peer -> { });
        TorrentLookups us = source(members.get(7));
        for (int i = 0; i < 300; i++) {
            us.start(new RunningTorrent(InfoHash.of(NodeId.random(random).bytes()), false, 6881, true), peer -> { });
        }
        run(Duration.ofSeconds(2));
        long seedsStarted = us.lookupsStarted();
        assertTrue(seedsStarted < 100, "the seeds wait for the outgoing rate: " + seedsStarted);

        Set<InetSocketAddress> found = new HashSet<>();
        us.start(new RunningTorrent(infoHash, false, 6881, false), found::add);
        run(Duration.ofSeconds(3));
        assertEquals(Set.of(new InetSocketAddress("10.0.1.5", 7005)), found,
                "the magnet link took the first free lookup and found the seeder");
        assertTrue(us.lookupsStarted() < 300, "while most seeds still wait: " + us.lookupsStarted());
        us.stop(infoHash); // its metadata came: from here on only the seeds count

        run(Duration.ofMinutes(10));
        assertEquals(301, us.lookupsStarted(), "every seed looked up once, none again before 15 minutes");
        run(Duration.ofMinutes(10));
        assertTrue(us.lookupsStarted() >= 601, "then each once more: " + us.lookupsStarted());
    }

    @Test
    void aSeedFindingFewPeersIsLookedUpAgainAfterFifteenMinutesNotAfterOne() {
        TorrentLookups us = source(node("10.0.0.1"));
        joinNetwork(12);
        run(Duration.ofSeconds(30));
        us.start(new RunningTorrent(infoHash, false, 6881, true), peer -> { });
        run(Duration.ofSeconds(10));
        assertEquals(1, us.lookupsStarted());
        run(Duration.ofMinutes(14));
        assertEquals(1, us.lookupsStarted(), "a seed announces every 15 minutes; it looks for nobody");
        run(Duration.ofMinutes(2));
        assertEquals(2, us.lookupsStarted());
    }

    @Test
    void announcesHeldBackByTheOutgoingRateGoOutLaterAndAreFound() {
        joinNetwork(12);
        DhtSettings d = DhtSettings.DEFAULT;
        DhtSettings slow = new DhtSettings(d.parallelism(), d.softTimeout(), d.hardTimeout(), d.maxPending(),
                d.maxLookups(), 1500, 3000, d.inPerIpPerSecond(), d.inPerIpBurst(), d.inBlock(),
                d.maxPeersPerInfoHash(), d.maxInfoHashes());
        InetSocketAddress address = new InetSocketAddress("10.0.3.1", 6881);
        DhtNode slowNode = new DhtNode(NodeId.random(random), slow, network.clock, random, network.transportFor(address));
        network.listen(address, slowNode::receive);
        nodes.add(slowNode);
        slowNode.bootstrap(List.of(new InetSocketAddress("10.0.1.0", 6881)));
        run(Duration.ofSeconds(30));
        TorrentLookups us = new TorrentLookups(slowNode, network.clock, port -> false);
        sources.add(us);
        List<InfoHash> seeded = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seeded.add(InfoHash.of(NodeId.random(random).bytes()));
            us.start(new RunningTorrent(seeded.get(i), false, 7100 + i, true), peer -> { });
        }
        int mostQueued = 0;
        for (int second = 0; second < 120; second++) {
            run(Duration.ofSeconds(1));
            mostQueued = Math.max(mostQueued, slowNode.queuedAnnounces());
        }
        assertTrue(mostQueued > 0, "some announces had to wait for the rate");
        assertEquals(0, slowNode.queuedAnnounces());
        assertEquals(0, slowNode.counters().announcesGivenUp());
        assertTrue(slowNode.counters().announcesSent() >= 20 * 8, "K announces a torrent: " + slowNode.counters().announcesSent());

        TorrentLookups other = source(members.get(2));
        Set<InetSocketAddress> found = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = 7100 + i;
            other.start(new RunningTorrent(seeded.get(i), false, 7002, false), peer -> {
                if (peer.getPort() == port) {
                    found.add(peer);
                }
            });
        }
        run(Duration.ofSeconds(60));
        assertEquals(20, found.size(), "every torrent was announced: " + found);
    }

    private DhtNode node(String ip) {
        InetSocketAddress address = new InetSocketAddress(ip, 6881);
        DhtNode node = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, network.clock, random,
                network.transportFor(address));
        network.listen(address, node::receive);
        nodes.add(node);
        return node;
    }

    /** A source whose node's DHT socket is on another port than the listen port: it announces its port. */
    private TorrentLookups source(DhtNode node) {
        TorrentLookups source = new TorrentLookups(node, network.clock, port -> false);
        sources.add(source);
        return source;
    }

    /** A router at 10.0.1.0 and {@code count} members at 10.0.1.1 on; every node made so far joins through it. */
    private void joinNetwork(int count) {
        List<DhtNode> before = List.copyOf(nodes);
        node("10.0.1.0");
        for (int i = 1; i <= count; i++) {
            members.put(i, node("10.0.1." + i));
        }
        InetSocketAddress router = new InetSocketAddress("10.0.1.0", 6881);
        members.values().forEach(member -> member.bootstrap(List.of(router)));
        before.forEach(node -> node.bootstrap(List.of(router)));
    }

    private void run(Duration duration) {
        network.run(duration, TICK, () -> {
            nodes.forEach(DhtNode::tick);
            sources.forEach(TorrentLookups::lookUpDue);
        });
    }
}
