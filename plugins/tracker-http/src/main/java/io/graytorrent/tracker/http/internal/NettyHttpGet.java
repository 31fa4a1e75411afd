package io.graytorrent.tracker.http.internal;

import io.graytorrent.api.util.NetworkRoute;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One HTTP/1.1 GET on Netty, for when the JDK's HttpClient cannot do what the {@link NetworkRoute}
 * asks (JDK 17's cannot bind a local address nor speak SOCKS): from the route's source address, or
 * through its SOCKS5 proxy, which then also resolves the tracker's name (so no DNS query leaves
 * beside the proxy). https checks the certificate and the host name as the JDK client does. The
 * body is held up to {@code maxBytes}; a longer one fails with {@link BoundedBody.TooLarge}.
 * Thread-safe; {@link #close} stops its one event loop thread.
 */
final class NettyHttpGet implements AutoCloseable {
    /** A reply: its status, its Location header if any, its body. */
    record Reply(int status, Optional<String> location, byte[] body) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("graytorrent-http-tracker", true));
    private final SslContext tls;

    NettyHttpGet() {
        try {
            tls = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
        }
    }

    /** Looks a host name up: all its addresses, or an IOException. Blocking; called off the event loop. */
    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host) throws IOException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    /**
     * GET {@code url} by {@code route}; {@code family} (an address class), when given, is the only
     * family of the host's addresses tried, as a BEP 7 announce per family needs.
     */
    CompletableFuture<Reply> get(URI url, NetworkRoute route, Duration timeout, int maxBytes, Resolver resolver,
            Optional<Class<? extends InetAddress>> family) {
        boolean https = "https".equals(url.getScheme().toLowerCase(Locale.ROOT));
        String host = url.getHost();
        if (host == null) {
            return CompletableFuture.failedFuture(new IOException("no host in " + url));
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        Optional<InetSocketAddress> proxy = route.proxyFor(NetworkRoute.Use.TRACKER);
        if (proxy.isPresent()) {
            return connect(InetSocketAddress.createUnresolved(bareHost, port), bareHost, Optional.empty(), proxy, route,
                    url, https, timeout, maxBytes);
        }
        // the name is looked up off the event loop; the source address then follows the address's family
        return CompletableFuture.supplyAsync(() -> {
            try {
                return resolver.resolve(bareHost).stream().filter(a -> family.map(f -> f.isInstance(a)).orElse(true))
                        .findFirst().orElseThrow(() -> new IOException(bareHost + " has no "
                                + (family.orElseThrow() == Inet6Address.class ? "IPv6" : "IPv4") + " address"));
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }).thenCompose(address -> {
            try {
                return connect(new InetSocketAddress(address, port), bareHost, route.sourceSocket(address),
                        Optional.empty(), route, url, https, timeout, maxBytes);
            } catch (NetworkRoute.RouteDownException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private CompletableFuture<Reply> connect(InetSocketAddress destination, String host, Optional<InetSocketAddress> source,
            Optional<InetSocketAddress> proxy, NetworkRoute route, URI url, boolean https, Duration timeout, int maxBytes) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .resolver(NoopAddressResolverGroup.INSTANCE) // resolved above, or by the proxy
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        proxy.ifPresent(p -> {
                            Socks5ProxyHandler socks = route.proxyUsername().isEmpty()
                                    ? new Socks5ProxyHandler(new InetSocketAddress(p.getHostString(), p.getPort()))
                                    : new Socks5ProxyHandler(new InetSocketAddress(p.getHostString(), p.getPort()),
                                            route.proxyUsername(), route.proxyPassword());
                            socks.setConnectTimeoutMillis(timeout.toMillis());
                            ch.pipeline().addLast("socks5", socks);
                        });
                        if (https) {
                            SSLEngine engine = tls.newEngine(ch.alloc(), host, destination.getPort());
                            SSLParameters parameters = engine.getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(parameters);
                            ch.pipeline().addLast("tls", new SslHandler(engine));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("body", new HttpObjectAggregator(maxBytes));
                        ch.pipeline().addLast("reply", new ReplyHandler(reply, maxBytes));
                    }
                });
        ChannelFuture connecting = source.isPresent() ? bootstrap.connect(destination, source.get())
                : bootstrap.connect(destination);
        Channel channel = connecting.channel();
        reply.whenComplete((done, failure) -> channel.close()); // also when the caller's timer gives up
        connecting.addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                reply.completeExceptionally(connected.cause());
                return;
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    url.getRawQuery() == null ? path : path + "?" + url.getRawQuery());
            request.headers().set(HttpHeaderNames.HOST, url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost())
                    .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            // a proxy handler holds the request until the proxy has connected us
            connected.channel().writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    reply.completeExceptionally(written.cause());
                }
            });
        });
        return reply;
    }

    /** Takes the one reply; a failure anywhere in the pipeline (proxy, TLS, HTTP, size) fails it. */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Reply> reply;
        private final int maxBytes;

        ReplyHandler(CompletableFuture<Reply> reply, int maxBytes) {
            this.reply = reply;
            this.maxBytes = maxBytes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            reply.complete(new Reply(response.status().code(),
                    Optional.ofNullable(response.headers().get(HttpHeaderNames.LOCATION)),
                    ByteBufUtil.getBytes(response.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reply.completeExceptionally(cause instanceof TooLongFrameException ? new BoundedBody.TooLarge(maxBytes) : cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reply.completeExceptionally(new IOException("the connection closed before a whole reply"));
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
