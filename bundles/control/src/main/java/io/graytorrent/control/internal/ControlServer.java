package io.graytorrent.control.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;

/** The HTTP listener and the pool commands run on; plain Java, started and stopped by its owner. */
final class ControlServer implements AutoCloseable {
    /** A client that sends nothing for this long is dropped (a slow-loris cannot hold a slot). */
    private static final int READ_TIMEOUT_SECONDS = 30;
    private static final int MAX_QUEUED_COMMANDS = 64;

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("gray-control-io", true));
    private final ExecutorService commandPool;
    private final Channel channel;

    ControlServer(String bindAddress, int port, String token, int maxRequestBytes, int commandThreads,
            boolean webUi, CommandProcessor processor) throws InterruptedException {
        AtomicInteger threadNumber = new AtomicInteger();
        commandPool = new ThreadPoolExecutor(commandThreads, commandThreads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED_COMMANDS),
                runnable -> new Thread(runnable, "gray-command-" + threadNumber.incrementAndGet()));
        CommandRunner runner = new CommandRunner(processor);
        WebAssets webAssets = new WebAssets(ControlServer.class.getClassLoader(), webUi);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
                        ch.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS));
                        addHttpHandlers(ch.pipeline(), maxRequestBytes,
                                new ControlHandler(new RequestGuard(token, boundPort), runner, commandPool, webAssets));
                    }
                });
        try {
            channel = bootstrap.bind(bindAddress, port).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** What turns bytes into answered requests: HTTP codec, body aggregation (bounded), {@code handler}. */
    static void addHttpHandlers(ChannelPipeline pipeline, int maxRequestBytes, ControlHandler handler) {
        pipeline.addLast(new HttpServerCodec(4096, 16 * 1024, 8192))
                .addLast(new JsonErrorAggregator(maxRequestBytes))
                .addLast(handler);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    String address() {
        return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        commandPool.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
