package io.graytorrent.tracker.udp.internal;

import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerException;
import io.graytorrent.api.util.DualStack;
import io.graytorrent.api.util.NetworkConfiguration;
import io.graytorrent.api.util.NetworkRoute;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * BEP 15 over one UDP socket. Every exchange (connect when needed, then the request) lives on one
 * thread, {@link #loop}; a receiver thread only hands datagrams to it. A reply is taken only from
 * the address the request went to and with the transaction id it carried; anything else is dropped.
 * Without a reply the packet is sent again after base·2ⁿ (n counting this exchange's timeouts)
 * until n passes the limit; an expired connection id is renewed on the way. The three settings change
 * live ({@link #modified}); an exchange under way uses the new ones from its next timer on.
 *
 * <p>The network route is the peer wire's ({@link NetworkRoute}): each packet leaves from a socket
 * bound to the route's source address for the tracker's family (one socket per source address,
 * opened when first needed; the wildcard socket when the route binds nothing), checked at every
 * send, so a bound interface that is down fails the exchange instead of sending elsewhere. Through
 * a SOCKS5 proxy (unless it carries peer connections only) nothing is sent: UDP would leave beside it.
 */
// it reads the peer wire's PID too, for the network keys; no @Designate, which names one PID
@Component(service = TrackerClient.class, property = TrackerClient.SCHEMES + "=udp",
        configurationPid = {"io.graytorrent.tracker.udp", NetworkConfiguration.PID})
public final class UdpTrackerClient implements TrackerClient, AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;

    private volatile long retransmitBaseMillis;
    private volatile int maxRetransmits;
    private volatile long connectionIdNanos;
    /** Reads System.nanoTime but for tests, which age connection ids without waiting. */
    private final LongSupplier nanoClock;
    /** The wildcard-bound socket. */
    private final DatagramChannel channel;
    /** On the loop only: sockets bound to a route's source addresses, each with its receiver thread. */
    private final Map<java.net.InetAddress, DatagramChannel> boundChannels = new HashMap<>();
    private volatile NetworkRoute route = NetworkRoute.DIRECT;
    /** Looks tracker names up, all their addresses (none when unknown); a test gives a name two families. */
    private volatile Function<String, List<InetAddress>> names = UdpTrackerClient::addresses;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(daemon("graytorrent-udp-tracker"));
    private final ExecutorService resolver = Executors.newSingleThreadExecutor(daemon("graytorrent-udp-tracker-dns"));
    private final Thread receiver;
    /** On the loop only. */
    private final Map<Integer, Exchange> pending = new HashMap<>();
    /** On the loop only: a connection id per tracker address and when it was received. */
    private final Map<InetSocketAddress, long[]> connections = new HashMap<>();

    /** Writes a request packet given the connection id and the transaction id. */
    @FunctionalInterface
    private interface RequestWriter {
        byte[] write(long connectionId, int transactionId);
    }

    @Activate
    public UdpTrackerClient(UdpTrackerConfiguration config, NetworkConfiguration network) throws IOException {
        this(config);
        route = NetworkRoute.of(network);
    }

    /** Sending by any interface. */
    public UdpTrackerClient(UdpTrackerConfiguration config) throws IOException {
        this(config.retransmitBaseMillis(), config.maxRetransmits(), Duration.ofSeconds(config.connectionIdSeconds()));
    }

    /** Packets from now on take {@code next}. */
    void route(NetworkRoute next) {
        route = next;
    }

    UdpTrackerClient(long retransmitBaseMillis, int maxRetransmits, Duration connectionIdLifetime) throws IOException {
        this(retransmitBaseMillis, maxRetransmits, connectionIdLifetime, System::nanoTime);
    }

    UdpTrackerClient(long retransmitBaseMillis, int maxRetransmits, Duration connectionIdLifetime, LongSupplier nanoClock)
            throws IOException {
        this.nanoClock = nanoClock;
        settings(retransmitBaseMillis, maxRetransmits, connectionIdLifetime);
        this.channel = DatagramChannel.open().bind(null);
        this.receiver = daemon("graytorrent-udp-tracker-receive").newThread(() -> receive(channel));
        receiver.start();
    }

    /** New settings without a new socket: no request under way is lost. */
    @Modified
    void modified(UdpTrackerConfiguration config, NetworkConfiguration network) {
        modified(config);
        route = NetworkRoute.of(network);
    }

    /** New timers; the route stays. */
    void modified(UdpTrackerConfiguration config) {
        settings(config.retransmitBaseMillis(), config.maxRetransmits(), Duration.ofSeconds(config.connectionIdSeconds()));
    }

    private void settings(long retransmitBaseMillis, int maxRetransmits, Duration connectionIdLifetime) {
        this.retransmitBaseMillis = retransmitBaseMillis;
        this.maxRetransmits = Math.min(maxRetransmits, 8); // base·2⁸ is BEP 15's last wait
        this.connectionIdNanos = connectionIdLifetime.toNanos();
    }

    @Deactivate
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        loop.execute(() -> boundChannels.values().forEach(bound -> {
            try {
                bound.close();
            } catch (IOException e) {
                // closing anyway
            }
        }));
        loop.execute(() -> pending.values().forEach(e -> e.fail(new TrackerException("the udp tracker client stopped"))));
        loop.shutdown();
        resolver.shutdownNow();
    }

    /**
     * BEP 7: a tracker name with addresses of both families, each reachable by the route, is announced
     * to once per family (each packet from our address of that family) and the replies merged
     * ({@link DualStack}); otherwise to its first address.
     */
    @Override
    public CompletableFuture<AnnounceResponse> announce(AnnounceRequest request) {
        URI tracker = request.tracker();
        if (tracker.getHost() == null || tracker.getPort() <= 0) {
            return CompletableFuture.failedFuture(new TrackerException("a udp tracker URL needs a host and a port: " + tracker));
        }
        NetworkRoute now = route;
        return CompletableFuture.supplyAsync(() -> names.apply(tracker.getHost()), resolver).thenCompose(addresses -> {
            if (addresses.isEmpty()) {
                return CompletableFuture.failedFuture(new TrackerException("cannot resolve " + tracker.getHost()));
            }
            List<InetAddress> targets = now.udpRefusal(NetworkRoute.Use.TRACKER).isPresent() ? List.of()
                    : DualStack.targets(addresses, address -> DualStack.reachable(address, now));
            if (targets.size() < 2) {
                // one family, or none reachable: the first address, whose send says why it cannot go
                return announceTo(new InetSocketAddress(targets.isEmpty() ? addresses.get(0) : targets.get(0),
                        tracker.getPort()), request);
            }
            return DualStack.announceEach(targets, target -> announceTo(new InetSocketAddress(target, tracker.getPort()),
                    request));
        });
    }

    /** Tracker names are looked up with {@code lookup} from now on. */
    void resolveWith(Function<String, List<InetAddress>> lookup) {
        names = lookup;
    }

    private static List<InetAddress> addresses(String host) {
        try {
            return List.of(InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host));
        } catch (IOException e) {
            return List.of();
        }
    }

    private CompletableFuture<AnnounceResponse> announceTo(InetSocketAddress target, AnnounceRequest request) {
        Exchange exchange = new Exchange(target, UdpPackets.ANNOUNCE,
                (connectionId, transactionId) -> UdpPackets.announce(connectionId, transactionId, request));
        loop.execute(exchange::send);
        return exchange.result.thenApply(reply -> parse(() -> UdpPackets.announceReply(reply.buffer,
                reply.from.getAddress() instanceof Inet6Address ? 16 : 4)));
    }

    @Override
    public CompletableFuture<ScrapeResponse> scrape(URI tracker, InfoHash infoHash) {
        return exchange(tracker, UdpPackets.SCRAPE,
                (connectionId, transactionId) -> UdpPackets.scrape(connectionId, transactionId, infoHash))
                .thenApply(reply -> parse(() -> UdpPackets.scrapeReply(reply.buffer)));
    }

    private interface Parser<T> {
        T parse() throws TrackerException;
    }

    private static <T> T parse(Parser<T> parser) {
        try {
            return parser.parse();
        } catch (TrackerException e) {
            throw new CompletionException(e);
        }
    }

    private record Reply(InetSocketAddress from, ByteBuffer buffer) {
    }

    private CompletableFuture<Reply> exchange(URI tracker, int action, RequestWriter writer) {
        if (tracker.getHost() == null || tracker.getPort() <= 0) {
            return CompletableFuture.failedFuture(new TrackerException("a udp tracker URL needs a host and a port: " + tracker));
        }
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(tracker.getHost(), tracker.getPort()), resolver)
                .thenCompose(target -> {
                    if (target.isUnresolved()) {
                        return CompletableFuture.failedFuture(new TrackerException("cannot resolve " + tracker.getHost()));
                    }
                    Exchange exchange = new Exchange(target, action, writer);
                    loop.execute(exchange::send);
                    return exchange.result;
                });
    }

    /** One request until its reply, its error, or the last retransmission's timeout. Confined to the loop. */
    private final class Exchange {
        final InetSocketAddress target;
        final int action;
        final RequestWriter writer;
        final CompletableFuture<Reply> result = new CompletableFuture<>();
        int timeouts;
        int transactionId;
        boolean connecting;
        ScheduledFuture<?> timer;

        Exchange(InetSocketAddress target, int action, RequestWriter writer) {
            this.target = target;
            this.action = action;
            this.writer = writer;
        }

        void send() {
            long[] connection = connections.get(target);
            connecting = connection == null || nanoClock.getAsLong() - connection[1] > connectionIdNanos;
            do {
                transactionId = ThreadLocalRandom.current().nextInt();
            } while (pending.containsKey(transactionId));
            byte[] packet = connecting ? UdpPackets.connect(transactionId) : writer.write(connection[0], transactionId);
            try {
                NetworkRoute now = route;
                Optional<String> refused = now.udpRefusal(NetworkRoute.Use.TRACKER);
                if (refused.isPresent()) {
                    fail(new TrackerException("udp trackers are " + refused.get()));
                    return;
                }
                channelFrom(now.source(target.getAddress())).send(ByteBuffer.wrap(packet), target);
            } catch (NetworkRoute.RouteDownException e) {
                fail(new TrackerException(e.getMessage(), e));
                return;
            } catch (IOException e) {
                fail(new TrackerException("cannot send to " + target + ": " + e.getMessage(), e));
                return;
            }
            pending.put(transactionId, this);
            timer = loop.schedule(this::timedOut, retransmitBaseMillis << timeouts, TimeUnit.MILLISECONDS);
        }

        void timedOut() {
            pending.remove(transactionId);
            if (++timeouts > maxRetransmits) {
                fail(new TrackerException("no reply from " + target + " after " + timeouts + " tries"));
            } else {
                send();
            }
        }

        void received(ByteBuffer reply) {
            timer.cancel(false);
            pending.remove(transactionId);
            int replyAction = reply.getInt(0);
            if (replyAction == UdpPackets.ERROR) {
                fail(new TrackerException(UdpPackets.errorMessage(reply)));
            } else if (replyAction != (connecting ? UdpPackets.CONNECT : action)) {
                fail(new TrackerException("the tracker answered action " + replyAction + " to action "
                        + (connecting ? UdpPackets.CONNECT : action)));
            } else if (connecting) {
                try {
                    connections.put(target, new long[] {UdpPackets.connectionId(reply), nanoClock.getAsLong()});
                    send();
                } catch (TrackerException e) {
                    fail(e);
                }
            } else {
                result.complete(new Reply(target, reply));
            }
        }

        void fail(TrackerException failure) {
            if (timer != null) {
                timer.cancel(false);
            }
            pending.remove(transactionId, this);
            result.completeExceptionally(failure);
        }
    }

    /** On the loop: the socket bound to {@code source}, opened with its receiver thread the first time. */
    private DatagramChannel channelFrom(Optional<java.net.InetAddress> source) throws IOException {
        if (source.isEmpty()) {
            return channel;
        }
        DatagramChannel bound = boundChannels.get(source.get());
        if (bound == null || !bound.isOpen()) {
            bound = DatagramChannel.open(source.get() instanceof Inet6Address ? java.net.StandardProtocolFamily.INET6
                    : java.net.StandardProtocolFamily.INET).bind(new InetSocketAddress(source.get(), 0));
            boundChannels.put(source.get(), bound);
            DatagramChannel receiving = bound;
            daemon("graytorrent-udp-tracker-receive-" + source.get().getHostAddress())
                    .newThread(() -> receive(receiving)).start();
        }
        return bound;
    }

    /** A receiver thread: copies each datagram out and lets the loop match it to its exchange. */
    private void receive(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                if (buffer.position() < 8) {
                    continue; // too short to carry an action and a transaction id
                }
                ByteBuffer reply = ByteBuffer.wrap(Arrays.copyOf(buffer.array(), buffer.position()));
                loop.execute(() -> {
                    Exchange exchange = pending.get(reply.getInt(4));
                    if (exchange != null && exchange.target.equals(from)) {
                        exchange.received(reply);
                    }
                });
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (!channel.isOpen()) {
                    return;
                }
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
