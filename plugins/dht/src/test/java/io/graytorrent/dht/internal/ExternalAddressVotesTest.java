package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class ExternalAddressVotesTest {
    private final ExternalAddressVotes votes = new ExternalAddressVotes();

    @Test
    void anAddressCountsOnceThreeDistinctNodesAgree() throws Exception {
        InetAddress ours = InetAddress.getByName("203.0.113.5");
        votes.vote(ip("198.51.100.1"), ours);
        votes.vote(ip("198.51.100.1"), ours);
        votes.vote(ip("198.51.100.2"), ours);
        assertEquals(Optional.empty(), votes.address(), "one voter twice is one vote");
        votes.vote(ip("198.51.100.3"), ours);
        assertEquals(Optional.of(ours), votes.address());
    }

    @Test
    void theGatewaysWordHoldsWithoutVotesUntilAQuorumSaysOtherwise() throws Exception {
        InetAddress gateway = ip("203.0.113.9");
        InetAddress voted = ip("203.0.113.5");
        votes.known(gateway);
        assertEquals(Optional.of(gateway), votes.address(), "no votes needed for our own gateway's word");
        votes.vote(ip("198.51.100.1"), voted);
        votes.vote(ip("198.51.100.2"), voted);
        assertEquals(Optional.of(gateway), votes.address(), "two voters are no quorum");
        votes.vote(ip("198.51.100.3"), voted);
        assertEquals(Optional.of(voted), votes.address());
    }

    @Test
    void theMajorityWinsAndAVoterChangingItsMindMovesItsVote() throws Exception {
        InetAddress a = ip("203.0.113.5");
        InetAddress b = ip("203.0.113.6");
        for (int i = 1; i <= 3; i++) {
            votes.vote(ip("198.51.100." + i), a);
        }
        for (int i = 11; i <= 14; i++) {
            votes.vote(ip("198.51.100." + i), b);
        }
        assertEquals(Optional.of(b), votes.address());
        votes.vote(ip("198.51.100.11"), a);
        votes.vote(ip("198.51.100.12"), a);
        assertEquals(Optional.of(a), votes.address());
    }

    @Test
    void aNodeLearnsItsAddressFromTheIpKeyOfAnswers() throws Exception {
        FakeNetwork network = new FakeNetwork(3);
        Random random = new Random(3);
        InetSocketAddress self = new InetSocketAddress("198.18.0.9", 6881);
        DhtNode node = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, network.clock, random,
                network.transportFor(self));
        network.listen(self, node::receive);
        List<InetSocketAddress> routers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            InetSocketAddress router = new InetSocketAddress("192.0.2." + i, 6881);
            DhtNode other = new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, network.clock, random,
                    network.transportFor(router));
            network.listen(router, other::receive);
            routers.add(router);
        }
        node.bootstrap(routers);
        network.run(Duration.ofSeconds(5), Duration.ofMillis(250), node::tick);
        assertEquals(Optional.of(self.getAddress()), node.externalAddress());
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }
}
