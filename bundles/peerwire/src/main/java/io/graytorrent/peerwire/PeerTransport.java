package io.graytorrent.peerwire;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to reach peers besides the built-in TCP, e.g. uTP: a whiteboard service a transport
 * plugin registers. The peer wire's whole pipeline (the encryption stage, the handshake, the
 * messages) runs unchanged over the Netty channels it supplies: outgoing ones from
 * {@link #connect}, accepted ones handed to {@link PeerWire#accept}. The {@code transports}
 * setting orders the transports outgoing connections try.
 *
 * <p>A channel handed to the peer wire is connected (active), carries the peer's byte stream as
 * {@link io.netty.buffer.ByteBuf}s both ways as a TCP socket would, has auto-read off and nothing
 * read from it yet, and holds only the transport's own handlers; the peer wire adds its handlers
 * after them and turns reading on. From then on the peer wire owns it and closes it when the
 * connection ends.
 */
@ConsumerType
public interface PeerTransport {
    /** The built-in transport's name. */
    String TCP = "tcp";

    /** Lower case, as written in the {@code transports} setting and shown for each connection, e.g. "utp". */
    String name();

    /**
     * Connects to {@code address}. The future completes with a channel as described above, or fails
     * if the peer does not answer. The peer wire fails it itself after its connect timeout: a
     * transport that finds its future already completed when it connects must close that channel.
     */
    CompletableFuture<Channel> connect(InetSocketAddress address);
}
