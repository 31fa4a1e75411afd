package io.graytorrent.dht.internal;

import io.graytorrent.dht.internal.KrpcMessage.AnnouncePeer;
import io.graytorrent.dht.internal.KrpcMessage.FindNode;
import io.graytorrent.dht.internal.KrpcMessage.GetPeers;
import io.graytorrent.dht.internal.KrpcMessage.Ping;
import io.graytorrent.dht.internal.KrpcMessage.Query;
import io.graytorrent.dht.internal.KrpcMessage.Response;
import io.graytorrent.dht.internal.KrpcMessage.UnknownQuery;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One DHT node: answers queries from its tables, tokens and peer store, and runs lookups. It owns
 * no socket and no thread: datagrams come in through {@link #receive}, go out through a
 * {@link DatagramTransport}, and time passes through {@link #tick}, which the caller runs every
 * few hundred milliseconds. Everything it holds is bounded ({@link DhtSettings}). Not thread-safe:
 * call it from one thread (the socket's event loop).
 */
public final class DhtNode {
    static final long MAINTENANCE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Peers per get_peers answer, so that it stays within one unfragmented datagram. */
    static final int MAX_VALUES = 50;
    /** Questionable nodes pinged per maintenance round. */
    private static final int PINGS_PER_ROUND = 4;
    /**
     * Announces waiting for the outgoing rate at most; past it the oldest is given up. Lookups end
     * with up to K announces at once, so this holds those of a few dozen lookups.
     */
    static final int MAX_QUEUED_ANNOUNCES = 256;
    /** A queued announce older than this is given up: its token may have expired (BEP 5: 10 minutes at most). */
    static final long ANNOUNCE_MAX_WAIT_NANOS = TimeUnit.MINUTES.toNanos(4);

    private final NodeId ownId;
    private final DhtSettings settings;
    private final LongSupplier nanos;
    private final RandomGenerator random;
    private final DatagramTransport transport;
    private final RoutingTable ipv4;
    private final RoutingTable ipv6;
    private final Tokens tokens;
    private final PeerStore store;
    private final TokenBucket outbound;
    private final InboundLimiter inbound;
    private final Map<Integer, Transaction> pending = new HashMap<>();
    private final List<RunningLookup> lookups = new ArrayList<>();
    private final ArrayDeque<QueuedAnnounce> announces = new ArrayDeque<>();
    /** Outgoing bytes our own queries leave in the bucket, so answers to others still go out when we are busy. */
    private final int answerReserve;
    private final DhtCounters counters = new DhtCounters();
    private final ExternalAddressVotes externalAddress = new ExternalAddressVotes();
    private int nextTransactionId;
    private long nextMaintenance;

    /** What to do with the answer to one of our queries. */
    private interface Reply {
        void answered(Response response, NodeInfo from);

        default void slow() {
        }

        default void failed() {
        }
    }

    /** A ping's answer needs no handling: settling it already put the node in the table. */
    private static final Reply PINGED = (response, from) -> { };

    private static final class Transaction {
        final InetSocketAddress to;
        final long sentAt;
        final Reply reply;
        boolean slow;

        Transaction(InetSocketAddress to, long sentAt, Reply reply) {
            this.to = to;
            this.sentAt = sentAt;
            this.reply = reply;
        }
    }

    private record RunningLookup(Lookup lookup, int announcePort, Consumer<Lookup> onDone) {
    }

    private record QueuedAnnounce(NodeInfo node, AnnouncePeer message, long queuedAt) {
    }

    public DhtNode(NodeId ownId, DhtSettings settings, LongSupplier nanos, RandomGenerator random,
            DatagramTransport transport) {
        this.ownId = ownId;
        this.settings = settings;
        this.nanos = nanos;
        this.random = random;
        this.transport = transport;
        this.ipv4 = new RoutingTable(ownId, nanos);
        this.ipv6 = new RoutingTable(ownId, nanos);
        this.tokens = new Tokens(nanos, random);
        this.store = new PeerStore(nanos, settings.maxPeersPerInfoHash(), settings.maxInfoHashes());
        this.outbound = new TokenBucket(nanos, settings.outBytesPerSecond(), settings.outBurstBytes());
        this.answerReserve = settings.outBurstBytes() / 4;
        this.inbound = new InboundLimiter(nanos, settings.inPerIpPerSecond(), settings.inPerIpBurst(),
                settings.inBlock().toNanos(), 4096);
        this.nextMaintenance = nanos.getAsLong() + MAINTENANCE_NANOS;
    }

    public NodeId id() {
        return ownId;
    }

    public RoutingTable table(boolean ipv6Family) {
        return ipv6Family ? ipv6 : ipv4;
    }

    public PeerStore store() {
        return store;
    }

    public DhtCounters counters() {
        return counters;
    }

    /**
     * Our external address once enough answering nodes agree on it (BEP 42): the caller derives a
     * new id from it ({@link SecureNodeIds#idFor}) when ours does not fit, and starts a new node.
     */
    public Optional<InetAddress> externalAddress() {
        return externalAddress.address();
    }

    /** Someone other than a DHT node (a peer's {@code yourip}) said {@code reporter} sees us at {@code reported}. */
    public void addressReported(InetAddress reporter, InetAddress reported) {
        externalAddress.vote(reporter, reported);
    }

    /** Our gateway said we are {@code external} (port mapping): our address until a quorum of voters says otherwise. */
    public void externalAddressKnown(InetAddress external) {
        externalAddress.known(external);
    }

    public int pendingQueries() {
        return pending.size();
    }

    public int runningLookups() {
        return lookups.size();
    }

    /** Whether a lookup started now would run ({@link #lookup} would not refuse it for the number running). */
    public boolean lookupSlotFree() {
        return lookups.size() < settings.maxLookups();
    }

    /** Announces waiting for the outgoing rate. */
    public int queuedAnnounces() {
        return announces.size();
    }

    /** Asks each router for the nodes closest to us; those answering start a lookup of our own id. */
    public void bootstrap(List<InetSocketAddress> routers) {
        for (InetSocketAddress router : routers) {
            boolean v6 = router.getAddress() instanceof Inet6Address;
            query(router, tid -> new FindNode(tid, ownId, ownId, Set.of()), (response, from) -> {
                Lookup self = new Lookup(ownId, false, settings.parallelism(), this::sendLookupQuery, peers -> { });
                self.addCandidates(nodesOf(response, v6));
                startLookup(new RunningLookup(self, -1, done -> { }), v6, false);
            });
        }
    }

    /**
     * Starts a lookup of {@code target} in one address family: find_node, or get_peers whose peers
     * go to {@code onPeers} as they arrive and which, if {@code announcePort} is 0 or more,
     * announces to the closest nodes that gave a token (0: implied port). False if too many run.
     */
    public boolean lookup(NodeId target, boolean ipv6Family, boolean getPeers, int announcePort,
            Consumer<List<InetSocketAddress>> onPeers, Consumer<Lookup> onDone) {
        return lookup(target, ipv6Family, getPeers, announcePort, false, onPeers, onDone);
    }

    /**
     * As {@link #lookup(NodeId, boolean, boolean, int, Consumer, Consumer)}; an {@code urgent} one (a
     * torrent waiting for peers) sends its queries before the others when the outgoing rate is short.
     */
    public boolean lookup(NodeId target, boolean ipv6Family, boolean getPeers, int announcePort, boolean urgent,
            Consumer<List<InetSocketAddress>> onPeers, Consumer<Lookup> onDone) {
        if (lookups.size() >= settings.maxLookups()) {
            return false;
        }
        Lookup lookup = new Lookup(target, getPeers, settings.parallelism(), this::sendLookupQuery, onPeers);
        startLookup(new RunningLookup(lookup, announcePort, onDone), ipv6Family, urgent);
        return true;
    }

    /** Runs a lookup; the list's order is the order lookups send in, so an urgent one goes first. */
    private void startLookup(RunningLookup running, boolean ipv6Family, boolean urgent) {
        if (lookups.size() >= settings.maxLookups()) {
            return;
        }
        running.lookup().addCandidates(table(ipv6Family).closest(running.lookup().target(), RoutingTable.K * 2));
        lookups.add(urgent ? 0 : lookups.size(), running);
        running.lookup().step();
    }

    private boolean sendLookupQuery(Lookup lookup, NodeInfo to) {
        boolean v6 = to.address().getAddress() instanceof Inet6Address;
        return query(to.address(), tid -> lookup.isGetPeers()
                ? new GetPeers(tid, ownId, lookup.target(), Set.of())
                : new FindNode(tid, ownId, lookup.target(), Set.of()), new Reply() {
                    @Override
                    public void answered(Response response, NodeInfo from) {
                        if (!from.id().equals(to.id())) {
                            lookup.failed(to); // not the node we were told of
                        } else {
                            lookup.answered(to, nodesOf(response, v6), peersOf(response), response.token());
                        }
                        lookup.step();
                    }

                    @Override
                    public void slow() {
                        lookup.slow(to);
                        lookup.step();
                    }

                    @Override
                    public void failed() {
                        lookup.failed(to);
                        lookup.step();
                    }
                });
    }

    /** One datagram from the network. */
    public void receive(InetSocketAddress from, byte[] datagram) {
        if (!inbound.allow(from.getAddress())) {
            counters.droppedIn++;
            return;
        }
        counters.packetsIn++;
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            counters.malformedIn++;
            if (e.answerableTransactionId() != null) {
                send(from, new KrpcMessage.Error(e.answerableTransactionId(), KrpcMessage.Error.PROTOCOL, e.getMessage()));
            }
            return;
        }
        if (message instanceof Query query) {
            answer(from, query);
        } else {
            settle(from, message);
        }
    }

    private void answer(InetSocketAddress from, Query query) {
        NodeInfo sender = new NodeInfo(query.sender(), from);
        RoutingTable table = table(from.getAddress() instanceof Inet6Address);
        table.queried(sender);
        if (!table.contains(sender) && table.hasRoomFor(sender.id()) && pending.size() < settings.maxPending() / 2
                && !pinging(from)) {
            ping(sender); // it may enter once it has answered us; once, however often it asks
        }
        byte[] tid = query.transactionId();
        if (query instanceof Ping) {
            send(from, Response.of(tid, ownId, from));
        } else if (query instanceof FindNode find) {
            send(from, withNodes(tid, from, find.target(), find.want(), null, List.of()));
        } else if (query instanceof GetPeers get) {
            List<byte[]> values = store.peers(get.infoHash(), from.getAddress() instanceof Inet6Address, MAX_VALUES);
            send(from, withNodes(tid, from, get.infoHash(), get.want(), tokens.issue(from.getAddress(), get.infoHash()),
                    values));
        } else if (query instanceof AnnouncePeer announce) {
            if (!tokens.accepts(announce.token(), from.getAddress(), announce.infoHash())) {
                send(from, new KrpcMessage.Error(tid, KrpcMessage.Error.PROTOCOL, "bad token"));
                return;
            }
            int port = announce.impliedPort() ? from.getPort() : announce.port();
            store.announce(announce.infoHash(), new InetSocketAddress(from.getAddress(), port));
            send(from, Response.of(tid, ownId, from));
        } else if (query instanceof UnknownQuery unknown) {
            send(from, new KrpcMessage.Error(tid, KrpcMessage.Error.METHOD_UNKNOWN, "unknown method " + unknown.method()));
        }
    }

    /** Nodes close to {@code target} of the families asked for (BEP 32 want; by default the querier's). */
    private Response withNodes(byte[] tid, InetSocketAddress from, NodeId target, Set<String> want, byte[] token,
            List<byte[]> values) {
        boolean fromV6 = from.getAddress() instanceof Inet6Address;
        boolean n4 = want.isEmpty() ? !fromV6 : want.contains("n4");
        boolean n6 = want.isEmpty() ? fromV6 : want.contains("n6");
        byte[] nodes = n4 ? CompactAddresses.nodes(ipv4.closest(target, RoutingTable.K), false) : null;
        byte[] nodes6 = n6 ? CompactAddresses.nodes(ipv6.closest(target, RoutingTable.K), true) : null;
        return new Response(tid, ownId, nodes, nodes6, token, values, from);
    }

    /** An answer or error to one of our queries: only from the address we asked, else ignored. */
    private void settle(InetSocketAddress from, KrpcMessage message) {
        byte[] tid = message.transactionId();
        if (tid.length != 2) {
            return;
        }
        int id = ((tid[0] & 0xff) << 8) | (tid[1] & 0xff);
        Transaction transaction = pending.get(id);
        if (transaction == null || !transaction.to.equals(from)) {
            counters.unexpectedIn++;
            return;
        }
        pending.remove(id);
        if (message instanceof Response response) {
            if (response.requesterAddress() != null) {
                externalAddress.vote(from.getAddress(), response.requesterAddress().getAddress());
            }
            NodeInfo node = new NodeInfo(response.sender(), from);
            NodeInfo toPing = table(from.getAddress() instanceof Inet6Address)
                    .answered(node, SecureNodeIds.isValid(node.id(), from.getAddress()));
            if (toPing != null) {
                ping(toPing);
            }
            transaction.reply.answered(response, node);
        } else {
            transaction.reply.failed();
        }
    }

    /** A ping is in flight to {@code address} (other queries to it do not count: their answer may be lost). */
    private boolean pinging(InetSocketAddress address) {
        return pending.values().stream().anyMatch(t -> t.reply == PINGED && t.to.equals(address));
    }

    private void ping(NodeInfo node) {
        query(node.address(), tid -> new Ping(tid, ownId), PINGED);
    }

    /** Sends a query; false when the pending table is full or the outgoing rate is used up. */
    private boolean query(InetSocketAddress to, Function<byte[], Query> build, Reply reply) {
        if (pending.size() >= settings.maxPending()) {
            return false;
        }
        int id = nextTransactionId;
        while (pending.containsKey(id)) {
            id = (id + 1) & 0xffff;
        }
        nextTransactionId = (id + 1) & 0xffff;
        if (!send(to, build.apply(new byte[] {(byte) (id >>> 8), (byte) id}), answerReserve)) {
            return false;
        }
        pending.put(id, new Transaction(to, nanos.getAsLong(), reply));
        return true;
    }

    private boolean send(InetSocketAddress to, KrpcMessage message) {
        return send(to, message, 0);
    }

    /** Sends if the outgoing rate allows {@code message} and leaves {@code reserve} bytes. */
    private boolean send(InetSocketAddress to, KrpcMessage message, int reserve) {
        byte[] datagram = KrpcCodec.encode(message);
        if (!outbound.tryTake(datagram.length, reserve)) {
            counters.droppedOut++;
            return false;
        }
        counters.packetsOut++;
        counters.bytesOut += datagram.length;
        transport.send(to, datagram);
        return true;
    }

    /** Time passes: timeouts, lookups, and every minute storage expiry, bucket refresh and pings. */
    public void tick() {
        long now = nanos.getAsLong();
        List<Transaction> failed = new ArrayList<>();
        List<Transaction> slow = new ArrayList<>();
        for (Iterator<Transaction> it = pending.values().iterator(); it.hasNext(); ) {
            Transaction t = it.next();
            if (now - t.sentAt >= settings.hardTimeout().toNanos()) {
                it.remove();
                failed.add(t);
            } else if (!t.slow && now - t.sentAt >= settings.softTimeout().toNanos()) {
                t.slow = true;
                slow.add(t);
            }
        }
        for (Transaction t : failed) {
            table(t.to.getAddress() instanceof Inet6Address).failed(t.to);
            t.reply.failed();
        }
        slow.forEach(t -> t.reply.slow());
        sendQueuedAnnounces(now);
        advanceLookups();
        if (now - nextMaintenance >= 0) {
            nextMaintenance = now + MAINTENANCE_NANOS;
            maintain();
        }
    }

    private void advanceLookups() {
        for (RunningLookup running : List.copyOf(lookups)) {
            Lookup lookup = running.lookup();
            lookup.step();
            if (lookup.isDone()) {
                lookups.remove(running);
                counters.lookupsDone++;
                if (running.announcePort() >= 0) {
                    announce(lookup, running.announcePort());
                }
                running.onDone().accept(lookup);
            }
        }
    }

    /** Announces to the closest nodes that gave a token; what the outgoing rate holds back waits its turn. */
    private void announce(Lookup lookup, int port) {
        long now = nanos.getAsLong();
        lookup.announceTargets().forEach((node, token) -> {
            AnnouncePeer message = new AnnouncePeer(new byte[0], ownId, lookup.target(), port, port == 0, token);
            if (!announces.isEmpty() || !sendAnnounce(node, message)) {
                if (announces.size() >= MAX_QUEUED_ANNOUNCES) {
                    announces.removeFirst();
                    counters.announcesGivenUp++;
                }
                announces.addLast(new QueuedAnnounce(node, message, now));
            }
        });
    }

    /** The queued announces, oldest first, as far as the outgoing rate allows; those waited too long are given up. */
    private void sendQueuedAnnounces(long now) {
        while (!announces.isEmpty()) {
            QueuedAnnounce next = announces.peekFirst();
            if (now - next.queuedAt() >= ANNOUNCE_MAX_WAIT_NANOS) {
                announces.removeFirst();
                counters.announcesGivenUp++;
            } else if (sendAnnounce(next.node(), next.message())) {
                announces.removeFirst();
            } else {
                return;
            }
        }
    }

    private boolean sendAnnounce(NodeInfo node, AnnouncePeer message) {
        boolean sent = query(node.address(), tid -> new AnnouncePeer(tid, message.sender(), message.infoHash(),
                message.port(), message.impliedPort(), message.token()), (response, from) -> { });
        if (sent) {
            counters.announcesSent++;
        }
        return sent;
    }

    private void maintain() {
        store.expireAll();
        for (boolean v6 : new boolean[] {false, true}) {
            RoutingTable table = table(v6);
            if (table.size() == 0) {
                continue;
            }
            for (NodeId target : table.refreshTargets(random)) {
                lookup(target, v6, false, -1, peers -> { }, done -> { });
            }
            table.questionable(PINGS_PER_ROUND).forEach(this::ping);
        }
    }

    /** The nodes an answer names, less ourselves (our own lookups never query us). */
    private List<NodeInfo> nodesOf(Response response, boolean v6) {
        byte[] compact = v6 ? response.nodes6() : response.nodes();
        if (compact == null) {
            return List.of();
        }
        List<NodeInfo> nodes = new ArrayList<>(CompactAddresses.readNodes(compact, v6, RoutingTable.K * 2));
        nodes.removeIf(n -> n.id().equals(ownId));
        return nodes;
    }

    private static List<InetSocketAddress> peersOf(Response response) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (byte[] value : response.values()) {
            InetSocketAddress peer = CompactAddresses.readPeer(value);
            if (peer != null) {
                peers.add(peer);
            }
        }
        return peers;
    }
}
