package io.graytorrent.peerwire.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerEncryption;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TransferStats;
import io.graytorrent.peerwire.codec.HandshakeDecoder;
import io.graytorrent.peerwire.codec.HandshakeEncoder;
import io.graytorrent.peerwire.codec.PeerMessageDecoder;
import io.graytorrent.peerwire.codec.PeerMessageEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's state machine and the last handler of its pipeline: waits for the peer's
 * handshake (bounded by the handshake timeout), checks and answers it, swaps the handshake decoder
 * for the message decoder, sends our extension handshake, then delivers messages to the torrent's
 * listener and extension messages to their handlers through {@link SessionExtensions}.
 *
 * <p>Threading: handler methods run on the channel's event loop, and so do all listener and
 * extension callbacks; {@link PeerConnection} methods may be called from any thread.
 */
final class PeerSession extends ChannelInboundHandlerAdapter implements PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    private static final String HANDSHAKE_DECODER = "handshake-decoder";
    /** The first handler after the transport; a pre-handshake stage goes right after it. */
    static final String WIRE_COUNTERS = "stats";
    /**
     * Messages handed over together at most (256 KiB of blocks): a read loop can bring a megabyte, and the
     * engine's read back-pressure counts blocks as they are handed over.
     */
    static final int MAX_BATCH = 16;

    private final WireContext wire;
    private final ConnectionStats stats = new ConnectionStats(System::nanoTime);
    private final boolean outgoing;
    private final String transport;
    /** The peer's address when the channel's own is not an IP address and port (a transport plugin's); else null. */
    private final InetSocketAddress remote;
    private final CompletableFuture<PeerConnection> handshakeDone = new CompletableFuture<>();
    private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();
    private final SessionExtensions extensions;

    private volatile Channel channel;
    private volatile OutboundQueue outbound;
    private volatile TorrentEndpoint torrent;
    /** The infohash our handshake names on a connection we dial: the torrent's own, or a hybrid's v2 one; else null. */
    private final InfoHash dialledUnder;
    private volatile PeerId remotePeerId;
    /** The infohash the handshake named (an accepted hybrid's may be its v2 one); null before it. */
    private volatile InfoHash handshakeInfoHash;
    private volatile Capabilities negotiated;
    private volatile ExtensionHandshake remoteExtensions;
    private volatile PeerEncryption encryption = PeerEncryption.PLAINTEXT;
    private ScheduledFuture<?> handshakeTimeout;
    private PeerAvailability availability;
    /** Why the handshake failed, once we know; else it ends as {@code CLOSED}. */
    private volatile PeerConnectException.Reason handshakeFailure;
    /** On the event loop: the messages of the read in progress, handed to the listener together when it ends. */
    private List<PeerMessage> received = new ArrayList<>();

    /** A TCP session for a connection we dial for {@code torrent}, or (torrent null) one we accepted. */
    PeerSession(WireContext wire, TorrentEndpoint torrent) {
        this(wire, torrent, PeerTransport.TCP, null);
    }

    /** A session over {@code transport} with the peer at {@code remote}, or at the channel's remote address if null. */
    PeerSession(WireContext wire, TorrentEndpoint torrent, String transport, InetSocketAddress remote) {
        this(wire, torrent, torrent == null ? null : torrent.infoHash(), transport, remote);
    }

    /**
     * As above, a connection we dial naming {@code dialledUnder} in our handshake: a hybrid's v2 hash when the MSE
     * stream key was that hash, as the peer then expects it (libtorrent drops a v1 handshake after a v2 stream key).
     */
    PeerSession(WireContext wire, TorrentEndpoint torrent, InfoHash dialledUnder, String transport,
            InetSocketAddress remote) {
        this.wire = wire;
        this.torrent = torrent;
        this.dialledUnder = dialledUnder;
        this.outgoing = torrent != null;
        this.transport = transport;
        this.remote = remote;
        this.extensions = new SessionExtensions(wire.extensions(), this);
    }

    /** Installs the handshake-stage pipeline, with this session last. */
    void install(Channel ch) {
        ch.pipeline().addLast(WIRE_COUNTERS, stats)
                .addLast(HANDSHAKE_DECODER, new HandshakeDecoder())
                .addLast("handshake-encoder", HandshakeEncoder.INSTANCE)
                .addLast("message-encoder", PeerMessageEncoder.INSTANCE)
                .addLast("session", this);
    }

    /** Completes when the handshake is done, fails if the connection ends first. */
    CompletableFuture<PeerConnection> handshakeDone() {
        return handshakeDone;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // before any other callback: a refused connect reaches exceptionCaught without channelActive
        channel = ctx.channel();
        outbound = new OutboundQueue(channel);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshakeTimeout = ctx.executor().schedule(
                () -> failHandshake(PeerConnectException.Reason.TIMEOUT,
                        CloseReason.normal("no handshake within " + wire.settings().handshakeTimeout())),
                wire.settings().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (outgoing) {
            ctx.writeAndFlush(ourHandshake(dialledUnder));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Handshake handshake) {
            onHandshake(ctx, handshake);
        } else if (closeReason.get() != null) {
            release(msg); // the rest of a buffer that was already being decoded when we closed
        } else {
            onMessage((PeerMessage) msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        deliverReceived();
        ctx.fireChannelReadComplete();
    }

    /**
     * Hands the read's messages to the listener in one call: the engine moves them to the torrent's executor in
     * one task instead of one per block. Called before any other listener callback too, to keep their order.
     */
    private void deliverReceived() {
        if (!received.isEmpty()) {
            List<PeerMessage> messages = received;
            received = new ArrayList<>();
            torrent.listener().onMessages(this, messages);
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Handshake handshake) {
        if (closeReason.get() != null) {
            return; // the handshake timeout won the race
        }
        InfoHash named = handshake.infoHash();
        if (outgoing && !named.equals(torrent.infoHash()) && !torrent.v2InfoHash().filter(named::equals).isPresent()) {
            failHandshake(PeerConnectException.Reason.WRONG_INFOHASH, CloseReason.misbehaviour(
                    "peer answered for infohash " + named + " instead of " + torrent.infoHash()));
            return;
        }
        if (!outgoing) {
            Optional<TorrentEndpoint> found = wire.torrents().find(named);
            if (found.isEmpty()) {
                closeWith(CloseReason.normal("no torrent with infohash " + named));
                return;
            }
            torrent = found.get();
            if (handshake.capabilities().v2() && named.equals(torrent.infoHash())) {
                // BEP 52 upgrade: a v2 peer dialled a hybrid under its v1 hash; the answer names the v2 one
                named = torrent.v2InfoHash().orElse(named);
            }
            ctx.write(ourHandshake(named));
        }
        if (handshake.peerId().equals(wire.localPeerId())) {
            ctx.flush(); // an accepted connection answers first, so that the side that dialled sees it reached us too
            failHandshake(PeerConnectException.Reason.OURSELVES, CloseReason.normal("connected to ourselves"));
            return;
        }
        handshakeTimeout.cancel(false);
        handshakeInfoHash = named;
        remotePeerId = handshake.peerId();
        availability = new PeerAvailability(torrent.pieceCount(), System::nanoTime);
        negotiated = wire.localCapabilities(torrent).intersect(handshake.capabilities());
        ctx.pipeline()
                .addBefore(HANDSHAKE_DECODER, "idle", new IdleStateHandler(wire.settings().idleTimeout().toMillis(),
                        wire.settings().keepAliveInterval().toMillis(), 0, TimeUnit.MILLISECONDS))
                .addAfter(HANDSHAKE_DECODER, "message-decoder",
                        new PeerMessageDecoder(torrent.pieceCount(), negotiated, wire.settings().maxExtendedPayload()));
        if (negotiated.extensionProtocol()) {
            ctx.write(extensions.ourHandshake(wire.settings(), wire.listenPort()));
        }
        int dhtPort = wire.dht().port();
        if (negotiated.dht() && dhtPort > 0) {
            ctx.write(new PeerMessage.Port(dhtPort)); // BEP 5: both sides set the DHT bit
        }
        ctx.flush();
        torrent.listener().onConnected(this);
        handshakeDone.complete(this);
        // hands the bytes that followed the handshake to the message decoder
        ctx.pipeline().remove(HANDSHAKE_DECODER);
    }

    private Handshake ourHandshake(InfoHash infoHash) {
        return new Handshake(wire.localCapabilities(torrent), infoHash, wire.localPeerId());
    }

    private void onMessage(PeerMessage message) {
        if (message instanceof PeerMessage.KeepAlive) {
            return;
        }
        if (PeerAvailability.isAvailability(message) && !availability.merge(message)) {
            return; // a repeat, or a late HAVE_NONE: nothing the engine does not know
        }
        if (message instanceof PeerMessage.Extended extended) {
            onExtended(extended);
            return;
        }
        if (message instanceof PeerMessage.Port port) {
            if (port.port() > 0) { // the DHT pings the node and keeps it if it answers
                wire.dht().nodeOffered(new InetSocketAddress(remoteAddress().getAddress(), port.port()));
            }
            return;
        }
        if (message instanceof PeerMessage.Piece piece) {
            stats.addPayloadDownloaded(piece.data().readableBytes());
        }
        received.add(message);
        if (received.size() >= MAX_BATCH) {
            deliverReceived();
        }
    }

    private void onExtended(PeerMessage.Extended message) {
        deliverReceived();
        if (message.extendedId() == MessageIds.EXTENDED_HANDSHAKE) {
            ExtensionHandshake handshake = ExtensionHandshake.parse(message.payload());
            remoteExtensions = handshake;
            handshake.yourIp().ifPresent(ip -> wire.dht().addressReported(remoteAddress().getAddress(), ip));
            extensions.onHandshake(handshake);
            torrent.listener().onExtensionHandshake(this, handshake);
        } else {
            extensions.onMessage(message.extendedId(), message.payload());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            closeWith(CloseReason.normal("nothing received for " + wire.settings().idleTimeout()));
        } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
            outbound.add(PeerMessage.KeepAlive.INSTANCE, ctx.voidPromise(), 0);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (handshakeDone.isDone()) {
            deliverReceived();
            torrent.listener().onWritabilityChanged(this, ctx.channel().isWritable());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PeerProtocolException && !handshakeDone.isDone()) {
            // not (yet) a BitTorrent peer, e.g. an encrypted (MSE) opening that may be retried in plain text
            failHandshake(PeerConnectException.Reason.NOT_BITTORRENT, CloseReason.normal(cause.getMessage()));
        } else if (cause instanceof PeerProtocolException) {
            closeWith(CloseReason.misbehaviour(cause.getMessage()));
        } else if (cause instanceof IOException) {
            // before the handshake, an I/O error on a connected socket is the peer resetting it
            failHandshake(PeerConnectException.Reason.RESET, CloseReason.normal("I/O error: " + cause.getMessage()));
        } else {
            LOG.warn("{}: unexpected failure", this, cause);
            closeWith(CloseReason.normal("internal error: " + cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        closeReason.compareAndSet(null, CloseReason.normal("peer closed the connection"));
        CloseReason reason = closeReason.get();
        if (handshakeDone.isDone()) {
            deliverReceived();
            extensions.onClosed();
            torrent.listener().onClosed(this, reason);
        } else {
            PeerConnectException.Reason failure = handshakeFailure != null ? handshakeFailure : PeerConnectException.Reason.CLOSED;
            handshakeDone.completeExceptionally(new PeerConnectException(failure, "handshake failed: " + reason.description(), null));
        }
    }

    /** Closes with {@code reason}; before the handshake is done, {@code failure} is what the dialler hears. */
    private void failHandshake(PeerConnectException.Reason failure, CloseReason reason) {
        if (!handshakeDone.isDone() && handshakeFailure == null) {
            handshakeFailure = failure;
        }
        closeWith(reason);
    }

    private void closeWith(CloseReason reason) {
        if (closeReason.compareAndSet(null, reason)) {
            if (reason.misbehaviour()) {
                LOG.info("{}: closing, peer misbehaved: {}", this, reason.description());
            } else {
                LOG.debug("{}: closing: {}", this, reason.description());
            }
        }
        if (channel.eventLoop().inEventLoop()) {
            outbound.run(); // what was sent before the close goes out first, as it does from other threads
        }
        channel.close();
    }

    /** Extensions registered after our extension handshake join the connection, announced in another one. */
    void extensionsChanged() {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                PeerMessage.Extended handshake = isOpen()
                        ? extensions.refresh(wire.settings(), wire.listenPort(), remoteExtensions) : null;
                if (handshake != null) {
                    send(handshake);
                }
            });
        }
    }

    private static void release(Object message) {
        if (message instanceof PeerMessage.Piece piece) {
            piece.data().release();
        }
    }

    // PeerConnection, callable from any thread

    @Override
    public InfoHash infoHash() {
        return torrent.infoHash();
    }

    @Override
    public InfoHash handshakeInfoHash() {
        InfoHash named = handshakeInfoHash;
        return named == null ? torrent.infoHash() : named;
    }

    @Override
    public boolean privateTorrent() {
        return torrent.privateTorrent();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote != null ? remote : (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public PeerId remotePeerId() {
        return remotePeerId;
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    @Override
    public Capabilities negotiated() {
        return negotiated;
    }

    @Override
    public Optional<ExtensionHandshake> remoteExtensionHandshake() {
        return Optional.ofNullable(remoteExtensions);
    }

    @Override
    public void send(PeerMessage message) {
        send(message, null);
    }

    @Override
    public void send(PeerMessage message, Runnable whenDone) {
        String missing = missingCapability(message);
        if (missing != null) {
            release(message);
            throw new IllegalArgumentException(message + " needs " + missing + ", which was not negotiated");
        }
        int block = message instanceof PeerMessage.Piece piece ? piece.data().readableBytes() : 0;
        if (block == 0 && whenDone == null) {
            outbound.add(message, channel.voidPromise(), 0);
            return;
        }
        ChannelPromise written = channel.newPromise();
        written.addListener(f -> {
            // a failed write is the connection failing, which Netty closes: only success counts
            if (f.isSuccess()) {
                stats.addPayloadUploaded(block);
            }
            if (whenDone != null) {
                whenDone.run();
            }
        });
        outbound.add(message, written, block);
    }

    private String missingCapability(PeerMessage message) {
        boolean fastMessage = message instanceof PeerMessage.HaveAll || message instanceof PeerMessage.HaveNone
                || message instanceof PeerMessage.SuggestPiece || message instanceof PeerMessage.RejectRequest
                || message instanceof PeerMessage.AllowedFast;
        if (fastMessage && !negotiated.fast()) {
            return "the Fast extension";
        } else if (message instanceof PeerMessage.Extended && !negotiated.extensionProtocol()) {
            return "the extension protocol";
        } else if (message instanceof PeerMessage.Port && !negotiated.dht()) {
            return "DHT support on both sides";
        }
        return null;
    }

    @Override
    public boolean sendExtended(String extensionName, byte[] payload) {
        ExtensionHandshake handshake = remoteExtensions;
        Integer id = handshake == null ? null : handshake.messageIds().get(extensionName);
        if (id == null) {
            return false;
        }
        send(new PeerMessage.Extended(id, payload));
        return true;
    }

    @Override
    public void pieceCount(int pieceCount) {
        if (pieceCount < 1) {
            throw new IllegalArgumentException("piece count " + pieceCount);
        }
        channel.eventLoop().execute(() -> learnPieceCount(pieceCount));
    }

    /** On the event loop, after the handshake: see {@link PeerConnection#pieceCount(int)}. */
    private void learnPieceCount(int count) {
        if (closeReason.get() != null || availability.pieceCount() == count) {
            return;
        }
        if (availability.pieceCount() != 0) {
            closeWith(CloseReason.normal("the torrent's piece count changed from " + availability.pieceCount()
                    + " to " + count));
            return;
        }
        channel.pipeline().get(PeerMessageDecoder.class).pieceCount(count);
        try {
            deliverReceived();
            availability.learn(count).ifPresent(kept -> torrent.listener().onMessage(this, kept));
        } catch (PeerProtocolException e) {
            closeWith(CloseReason.misbehaviour(e.getMessage()));
        }
    }

    @Override
    public void setReading(boolean reading) {
        channel.config().setAutoRead(reading);
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** Told by the pre-handshake stage (MSE) once it has handed over. */
    void encryption(PeerEncryption result) {
        encryption = result;
    }

    @Override
    public PeerEncryption encryption() {
        return encryption;
    }

    @Override
    public TransferStats stats() {
        return stats;
    }

    @Override
    public boolean isOpen() {
        return closeReason.get() == null && channel.isActive();
    }

    @Override
    public void close(CloseReason reason) {
        closeWith(reason);
    }

    @Override
    public String toString() {
        Channel ch = channel;
        Object address = remote != null ? remote : ch == null ? "?" : ch.remoteAddress();
        return (outgoing ? "to " : "from ") + address + (remote != null ? " over " + transport : "");
    }
}
