package io.graytorrent.core.internal.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.util.Bitfields;
import io.graytorrent.core.internal.concurrent.FakeClock;
import io.graytorrent.core.internal.limit.PieceBudget;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.core.internal.pick.PiecePicker;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.PeerMessage;
import io.netty.buffer.Unpooled;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm's protocol with fake connections, a fake storage and a clock that moves only when told:
 * request pipelining, snubbing, choking, endgame and blaming the sender of a bad piece, no sockets.
 * Everything runs on the test's thread (the swarm's executor runs tasks in place).
 */
@Unit
class SwarmProtocolTest {
    private static final int PIECE_LENGTH = 32 * 1024; // two blocks
    private static final int PIECES = 4;
    private static final int SNUB_MILLIS = 60_000;

    private final FakeClock clock = new FakeClock();
    private final FakeTorrent torrent = new FakeTorrent();
    private final FakeStorage storage = new FakeStorage(() -> this.metainfo, () -> torrent.have);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Metainfo metainfo;
    private Swarm swarm;
    private int nextAddress = 1;

    @BeforeEach
    void swarmOfOneTorrent(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("data.bin");
        Files.write(file, new byte[PIECES * PIECE_LENGTH]);
        metainfo = new MetainfoParser().parse(TorrentCreator.forPath(file).pieceLength(PIECE_LENGTH).create());
        swarm = newSwarm();
    }

    /** A swarm that starts from what the torrent has now. */
    private Swarm newSwarm() {
        RateLimits unlimited = new RateLimits(new TokenBucket(0, clock::nanos), new TokenBucket(0, clock::nanos));
        Uploads uploads = new Uploads(metainfo, Runnable::run, timer, unlimited, 250);
        ReadThrottle throttle = new ReadThrottle(unlimited, new IdleDisk(), timer);
        int[] priorities = new int[PIECES];
        Arrays.fill(priorities, PiecePicker.NORMAL);
        return new Swarm(torrent, metainfo, Runnable::run, clock, storage, uploads, throttle, priorities,
                new PieceBudget(1 << 20), 30_000);
    }

    @AfterEach
    void stopTimer() {
        swarm.close();
        timer.shutdownNow();
    }

    @Test
    void requestsStartAtTheFloorAndTheUnmeasuredPipelineGrowsByOnePerBlock() {
        FakeConnection seed = seed();
        assertEquals(1, seed.sent(PeerMessage.Interested.class).size());
        assertTrue(seed.sent(PeerMessage.Request.class).isEmpty(), "nothing is requested while choked");

        swarm.handle(seed, PeerMessage.Unchoke.INSTANCE);
        List<PeerMessage.Request> first = seed.sent(PeerMessage.Request.class);
        assertEquals(4, first.size(), "an unmeasured peer gets the floor's four requests");

        deliver(seed, first.get(0));
        // depth 4 + 1 block received, 3 still outstanding: two more go out
        assertEquals(6, seed.sent(PeerMessage.Request.class).size());
    }

    @Test
    void aPeerSendingNothingForAMinuteIsSnubbedUntilItsNextBlock() {
        FakeConnection seed = seed();
        swarm.handle(seed, PeerMessage.Unchoke.INSTANCE);
        Peer peer = swarm.peers().iterator().next();

        clock.advance(SNUB_MILLIS - 1);
        swarm.tick(clock.millis());
        assertFalse(peer.snubbed);
        clock.advance(1);
        swarm.tick(clock.millis());
        assertTrue(peer.snubbed, "a minute without a block while unchoked and interested");

        deliver(seed, seed.sent(PeerMessage.Request.class).get(0));
        assertFalse(peer.snubbed);
    }

    @Test
    void interestedPeersAreUnchokedWhileSlotsAreFreeThenTheRoundKeepsTheFastest() {
        List<FakeConnection> leechers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            FakeConnection leecher = join(Capabilities.NONE);
            leecher.downloadRate = 100 * (i + 1);
            swarm.handle(leecher, PeerMessage.Interested.INSTANCE);
            leechers.add(leecher);
        }
        // four regular slots and the optimistic one fill at once; the sixth waits for the round
        assertEquals(5, leechers.stream().filter(l -> unchoked(l)).count());
        assertFalse(unchoked(leechers.get(5)));

        swarm.rechoke(false);
        List<FakeConnection> fastestFirst = leechers.stream()
                .sorted(Comparator.comparingLong((FakeConnection l) -> l.downloadRate).reversed()).toList();
        for (FakeConnection fast : fastestFirst.subList(0, 4)) {
            assertTrue(unchoked(fast), "the four that give us the most keep their slots");
        }
        assertEquals(5, leechers.stream().filter(this::unchoked).count(), "plus one optimistic unchoke");
    }

    @Test
    void inEndgameTheLastBlocksGoToASecondPeerAndTheFirstArrivalCancelsTheCopy() {
        torrent.have.set(0, PIECES - 1); // only the last piece is missing
        swarm.close();
        swarm = newSwarm();
        FakeConnection first = seed();
        swarm.handle(first, PeerMessage.Unchoke.INSTANCE);
        List<PeerMessage.Request> fromFirst = first.sent(PeerMessage.Request.class);
        assertEquals(2, fromFirst.size(), "both blocks of the last piece");

        FakeConnection second = seed();
        swarm.handle(second, PeerMessage.Unchoke.INSTANCE);
        assertEquals(Set.copyOf(fromFirst), Set.copyOf(second.sent(PeerMessage.Request.class)),
                "every block is requested already: endgame asks the second peer for the same ones");

        PeerMessage.Request arrived = fromFirst.get(0);
        deliver(first, arrived);
        assertEquals(List.of(new PeerMessage.Cancel(arrived.piece(), arrived.offset(), arrived.length())),
                second.sent(PeerMessage.Cancel.class));
    }

    @Test
    void aBadPieceFromOnePeerBlamesItsAddressAndAGoodOneIsAnnounced() {
        FakeConnection liar = seed();
        FakeConnection other = seed();
        swarm.handle(liar, PeerMessage.Unchoke.INSTANCE);
        List<PeerMessage.Request> requests = List.copyOf(liar.sent(PeerMessage.Request.class));
        Set<Integer> pieces = new HashSet<>();
        requests.forEach(r -> pieces.add(r.piece()));
        assertEquals(2, pieces.size(), "four requests: both blocks of two pieces");
        int bad = requests.get(0).piece();
        int good = pieces.stream().filter(p -> p != bad).findFirst().orElseThrow();
        storage.bad.add(bad);

        requests.forEach(r -> deliver(liar, r));
        assertEquals(List.of(liar.address.getAddress()), torrent.blamed, "the one sender of the bad piece");
        assertFalse(torrent.have.get(bad));
        assertTrue(torrent.have.get(good));
        assertTrue(other.sent(PeerMessage.Have.class).contains(new PeerMessage.Have(good)));
        assertFalse(other.sent(PeerMessage.Have.class).contains(new PeerMessage.Have(bad)));
    }

    // ---- helpers ----

    private boolean unchoked(FakeConnection connection) {
        List<PeerMessage> turns = connection.sent.stream()
                .filter(m -> m instanceof PeerMessage.Choke || m instanceof PeerMessage.Unchoke).toList();
        return !turns.isEmpty() && turns.get(turns.size() - 1) instanceof PeerMessage.Unchoke;
    }

    /** A peer with every piece, joined and its bitfield received. */
    private FakeConnection seed() {
        FakeConnection seed = join(Capabilities.NONE);
        BitSet all = new BitSet();
        all.set(0, PIECES);
        swarm.handle(seed, new PeerMessage.Bitfield(Bitfields.pack(all, PIECES)));
        return seed;
    }

    private FakeConnection join(Capabilities capabilities) {
        InetSocketAddress address = new InetSocketAddress("127.0.0." + nextAddress++, 6881);
        FakeConnection connection = new FakeConnection(address, capabilities);
        assertNotNull(swarm.add(connection, PeerOrigin.MANUAL));
        return connection;
    }

    private void deliver(FakeConnection from, PeerMessage.Request request) {
        swarm.handle(from, new PeerMessage.Piece(request.piece(), request.offset(),
                Unpooled.wrappedBuffer(new byte[request.length()])));
    }

    private static final class FakeTorrent implements Swarm.Torrent {
        final BitSet have = new BitSet();
        final List<InetAddress> blamed = new ArrayList<>();

        @Override
        public int id() {
            return 1;
        }

        @Override
        public BitSet have() {
            return have;
        }

        @Override
        public boolean isComplete() {
            return have.cardinality() == PIECES;
        }

        @Override
        public void pieceVerified(int piece) {
            have.set(piece);
        }

        @Override
        public void downloaded(int bytes) {
        }

        @Override
        public void diskFailed(Throwable failure) {
            throw new AssertionError("no disk here to fail", failure);
        }

        @Override
        public void badDataFrom(InetAddress address) {
            blamed.add(address);
        }
    }
}
