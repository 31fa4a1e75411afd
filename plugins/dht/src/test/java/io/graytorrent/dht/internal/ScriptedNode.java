package io.graytorrent.dht.internal;

import io.graytorrent.dht.internal.KrpcMessage.AnnouncePeer;
import io.graytorrent.dht.internal.KrpcMessage.FindNode;
import io.graytorrent.dht.internal.KrpcMessage.GetPeers;
import io.graytorrent.dht.internal.KrpcMessage.Query;
import io.graytorrent.dht.internal.KrpcMessage.Response;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A node of a test world that answers by script: honestly (the world's closest live nodes), slowly
 * (honest, 3 s late), not at all, or lying (eight made-up nodes right next to the target, at
 * addresses nobody listens on).
 */
final class ScriptedNode {
    enum Behaviour { HONEST, SLOW, SILENT, LIAR }

    final NodeInfo info;
    final Behaviour behaviour;
    final List<InetSocketAddress> storedPeers = new ArrayList<>();
    final List<AnnouncePeer> announcesReceived = new ArrayList<>();
    private final FakeNetwork network;
    private final List<ScriptedNode> world;
    private final Random random;
    int queriesReceived;

    ScriptedNode(NodeInfo info, Behaviour behaviour, FakeNetwork network, List<ScriptedNode> world, Random random) {
        this.info = info;
        this.behaviour = behaviour;
        this.network = network;
        this.world = world;
        this.random = random;
        network.listen(info.address(), this::receive);
    }

    byte[] token() {
        return ("tk" + info.address().getPort()).getBytes();
    }

    private void receive(InetSocketAddress from, byte[] datagram) {
        queriesReceived++;
        if (behaviour == Behaviour.SILENT) {
            return;
        }
        Query query;
        try {
            query = (Query) KrpcCodec.decode(datagram);
        } catch (KrpcException | ClassCastException e) {
            throw new AssertionError("the node under test sent something odd", e);
        }
        NodeId target = query instanceof FindNode f ? f.target() : query instanceof GetPeers g ? g.infoHash() : null;
        byte[] nodes = target == null ? null : CompactAddresses.nodes(closer(target), false);
        List<byte[]> values = new ArrayList<>();
        if (query instanceof GetPeers) {
            storedPeers.forEach(p -> values.add(CompactAddresses.peer(p)));
        }
        if (query instanceof AnnouncePeer announce) {
            announcesReceived.add(announce);
        }
        Response response = new Response(query.transactionId(), info.id(), nodes, null,
                query instanceof GetPeers ? token() : null, values, from);
        network.send(info.address(), from, KrpcCodec.encode(response),
                behaviour == Behaviour.SLOW ? Duration.ofSeconds(3) : Duration.ZERO);
    }

    private List<NodeInfo> closer(NodeId target) {
        if (behaviour == Behaviour.LIAR) {
            List<NodeInfo> lies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                lies.add(new NodeInfo(target.randomWithPrefix(150 + i, random),
                        new InetSocketAddress("203.0.113." + (i + 1), 7000 + random.nextInt(1000))));
            }
            return lies;
        }
        // a well-kept routing table holds live nodes only: the silent ones were evicted long ago
        return world.stream().filter(n -> n.behaviour != Behaviour.SILENT).map(n -> n.info).sorted((a, b) -> target.compareDistance(a.id(), b.id()))
                .limit(8).toList();
    }
}
