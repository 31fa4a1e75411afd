package io.graytorrent.control.internal.http;

import io.graytorrent.control.internal.auth.Authenticator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP(S) listener and the worker pool routes run on; plain Java, started and stopped by its
 * owner. What it answers is the {@link Router}'s business.
 */
public final class ControlServer implements AutoCloseable {
    private static final int WORKER_THREADS = 2;
    private static final int MAX_QUEUED_REQUESTS = 64;

    /**
     * Where and how to listen.
     *
     * @param tls            the server's TLS context, or null for plain HTTP
     * @param requestTimeout a client that sends nothing for this long before its request is complete is
     *                       dropped (a slow-loris cannot hold a slot); the answer itself has no time limit
     */
    public record Settings(String bindAddress, int port, int maxRequestBytes, SslContext tls, Duration requestTimeout) {
        private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

        public Settings(String bindAddress, int port, int maxRequestBytes, SslContext tls) {
            this(bindAddress, port, maxRequestBytes, tls, DEFAULT_REQUEST_TIMEOUT);
        }
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("gray-control-io", true));
    private final ExecutorService workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED_REQUESTS), new DefaultThreadFactory("gray-api", true));
    private final Channel channel;

    public ControlServer(Settings settings, Authenticator authenticator, Router router) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (settings.tls() != null) {
                            ch.pipeline().addLast(settings.tls().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new ReadTimeoutHandler(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        HostGuard hosts = new HostGuard(ch.localAddress(), settings.tls() != null);
                        addHttpHandlers(ch.pipeline(), settings.maxRequestBytes(),
                                new ControlHandler(hosts, authenticator, router, workers));
                    }
                });
        try {
            channel = bootstrap.bind(settings.bindAddress(), settings.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** What turns bytes into answered requests: HTTP codec, body aggregation (bounded), {@code handler}. */
    public static void addHttpHandlers(ChannelPipeline pipeline, int maxRequestBytes, ControlHandler handler) {
        pipeline.addLast(new HttpServerCodec(4096, 16 * 1024, 8192))
                .addLast(new JsonErrorAggregator(maxRequestBytes))
                .addLast(handler);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String address() {
        return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        workers.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
