package io.graytorrent.peerwire.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Errors.NativeIoException;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer wire's TCP transport: Netty's native epoll where its library loads (Linux x86-64, from
 * the native fragment bundle), which spends less CPU per byte than NIO's selector and its
 * per-operation wrappers; NIO elsewhere, or with {@code -Dio.netty.transport.noNative=true}.
 * Chosen once per JVM and logged once.
 */
final class EventLoops {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);
    private static final boolean EPOLL = chooseEpoll();
    /** Linux's errno for a port in use; epoll's bind reports it as an errno, not a {@link BindException}. */
    private static final int EADDRINUSE = 98;

    private EventLoops() {
    }

    private static boolean chooseEpoll() {
        if (Epoll.isAvailable()) {
            LOG.info("peer wire on Netty's native epoll transport");
            return true;
        }
        LOG.info("peer wire on Netty's NIO transport: native epoll is not available ({})",
                Epoll.unavailabilityCause().toString());
        return false;
    }

    static EventLoopGroup group(int threads) {
        return EPOLL ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
    }

    static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    static Class<? extends ServerSocketChannel> serverSocketChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Pins {@code bootstrap}'s sockets to the network interface {@code name} (Linux's SO_BINDTODEVICE):
     * their packets leave by it whatever the routing table says for their destination, and none by
     * another. Only the native transport can set it; false on NIO, where the source address is all
     * that binds.
     */
    static boolean bindToDevice(io.netty.bootstrap.AbstractBootstrap<?, ?> bootstrap, String name) {
        if (!EPOLL) {
            return false;
        }
        byte[] bytes = (name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer value = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        // setsockopt(SOL_SOCKET = 1, SO_BINDTODEVICE = 25) with the interface name, NUL-terminated
        bootstrap.option(new io.netty.channel.unix.RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, bytes.length), value);
        return true;
    }

    /** Whether a failed bind failed because the address is taken (then the next port may do). */
    static boolean addressInUse(Throwable cause) {
        return cause instanceof BindException
                || cause instanceof NativeIoException nativeFailure && nativeFailure.expectedErr() == -EADDRINUSE;
    }
}
