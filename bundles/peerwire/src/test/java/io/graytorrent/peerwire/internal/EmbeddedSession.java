package io.graytorrent.peerwire.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An accepted connection's whole pipeline, exactly as {@link PeerSession} installs it, on an
 * embedded channel: the remote peer's bytes go in, in chunks of any size. Any infohash is a torrent
 * of the given piece count.
 */
final class EmbeddedSession {
    private static final PeerId LOCAL = PeerId.of("-GY0100-embeddedpeer".getBytes(StandardCharsets.US_ASCII));

    final PeerSession session;
    final EmbeddedChannel channel;

    EmbeddedSession(int pieces, PeerListener listener) {
        this(pieces, false, listener, new ExtensionRegistry(), new DhtLink());
    }

    /** A session whose torrents are private or not, announcing the extensions of {@code extensions}. */
    EmbeddedSession(int pieces, boolean privateTorrent, PeerListener listener, ExtensionRegistry extensions) {
        this(pieces, privateTorrent, listener, extensions, new DhtLink());
    }

    /** With {@code dht} as the DHT the wire tells its peers of. */
    EmbeddedSession(int pieces, PeerListener listener, DhtLink dht) {
        this(pieces, false, listener, new ExtensionRegistry(), dht);
    }

    private EmbeddedSession(int pieces, boolean privateTorrent, PeerListener listener, ExtensionRegistry extensions,
            DhtLink dht) {
        this(infoHash -> Optional.of(new TorrentEndpoint(infoHash, pieces, privateTorrent, listener)), extensions, dht,
                null);
    }

    /**
     * A connection whose incoming handshakes {@code torrents} routes, or, if {@code dialled} is not null, one we
     * dialled for it: our handshake is sent as the channel becomes active.
     */
    EmbeddedSession(TorrentLookup torrents, TorrentEndpoint dialled) {
        this(torrents, new ExtensionRegistry(), new DhtLink(), dialled);
    }

    private EmbeddedSession(TorrentLookup torrents, ExtensionRegistry extensions, DhtLink dht, TorrentEndpoint dialled) {
        WireContext wire = new WireContext(PeerWireSettings.defaults(), LOCAL, torrents, extensions, 6881, dht);
        session = new PeerSession(wire, dialled);
        channel = new RemotePeerChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                session.install(ch);
            }
        });
    }

    /** A remote peer's 68-byte handshake announcing {@code capabilities}. */
    static byte[] handshake(Capabilities capabilities) {
        return handshake(capabilities, InfoHash.of(new byte[InfoHash.LENGTH]));
    }

    /** A remote peer's 68-byte handshake announcing {@code capabilities} under {@code infoHash}. */
    static byte[] handshake(Capabilities capabilities, InfoHash infoHash) {
        return ByteBuffer.allocate(Handshake.LENGTH).put((byte) 19)
                .put(Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII)).put(capabilities.toReserved())
                .put(infoHash.toBytes()).put("-XX0001-remotepeer01".getBytes(StandardCharsets.US_ASCII))
                .array();
    }

    /** A message frame: {@code <length><id><payload>}. */
    static byte[] frame(int id, byte... payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put((byte) id).put(payload).array();
    }

    /** Everything the session has written so far, taken off the channel. */
    byte[] sent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            buf.release();
            bytes.writeBytes(chunk);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code bytes} in chunks of {@code chunk} bytes, stopping if the session closes the channel. */
    void receive(byte[] bytes, int chunk) {
        for (int from = 0; from < bytes.length && channel.isOpen(); from += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunk))));
        }
    }

    /** An embedded channel with an IP peer address, as every real connection has (the extension handshake reports it). */
    private static final class RemotePeerChannel extends EmbeddedChannel {
        private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 51413);

        RemotePeerChannel(ChannelHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return REMOTE;
        }
    }
}
