package io.graytorrent.core.internal.webseed;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The persistent HTTP/1.1 connections of one web seed, by origin: a request takes an idle one or dials a new one
 * through the engine's {@link Dialer} (the peer wire's event loops and transport, the route, the SOCKS5 proxy); one
 * whose exchange ended cleanly comes back, {@code maxIdle} at most kept; one the server closes is forgotten.
 * Each is Netty's {@link HttpClientCodec} (no HTTP parsing of ours) behind TLS for https: the JDK's provider and
 * default trust store, the host name checked as HTTPS does, SNI. Thread-safe.
 */
final class HttpConnections {
    /** Longest status line and headers taken from a server: beyond them the response fails (memory bounded). */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 16 * 1024;
    /** Body content is passed on as the socket delivered it, up to this much per piece of content. */
    private static final int MAX_CONTENT = 1 << 20;

    /** Opens TCP connections; the engine's is {@code PeerWire::dialOut}. */
    @FunctionalInterface
    interface Dialer {
        CompletableFuture<Channel> dial(String host, int port, Duration timeout, ChannelHandler handlers);
    }

    /** One request and its response on a connection; told on the connection's event loop. */
    interface Exchange {
        /** A decoded piece of the response; released by the caller afterwards. */
        void read(HttpObject message);

        /** The connection failed or closed; the exchange may already be over. */
        void failed(Throwable cause);
    }

    /** A connection for one exchange: {@code reused} when it served others before (the server may have closed it since). */
    record Lease(Channel channel, boolean reused) {
    }

    private record Origin(boolean https, String host, int port) {
        static Origin of(URI uri) {
            boolean https = "https".equalsIgnoreCase(uri.getScheme());
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return new Origin(https, host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                    uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80);
        }
    }

    private final Dialer dialer;
    private final int maxIdle;
    private final Map<Origin, Deque<Channel>> idle = new HashMap<>();
    private int idleCount;
    private boolean closed;

    HttpConnections(Dialer dialer, int maxIdle) {
        this.dialer = dialer;
        this.maxIdle = maxIdle;
    }

    /** A connection to {@code uri}'s origin for {@code exchange}: an idle one, or one dialled within {@code timeout}. */
    CompletableFuture<Lease> acquire(URI uri, Duration timeout, Exchange exchange) {
        Origin origin = Origin.of(uri);
        synchronized (this) {
            Deque<Channel> channels = idle.get(origin);
            while (channels != null && !channels.isEmpty()) {
                Channel channel = channels.poll();
                idleCount--;
                if (channel.isActive()) {
                    pipe(channel).exchange = exchange;
                    return CompletableFuture.completedFuture(new Lease(channel, true));
                }
            }
        }
        Pipe pipe = new Pipe(origin);
        pipe.exchange = exchange;
        return dialer.dial(origin.host(), origin.port(), timeout, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (origin.https()) {
                    ch.pipeline().addLast("tls", new SslHandler(tlsEngine(ch, origin)));
                }
                ch.pipeline().addLast("http", new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_CONTENT));
                ch.pipeline().addLast("exchange", pipe);
            }
        }).thenApply(channel -> new Lease(channel, false));
    }

    /** The exchange on {@code channel} ended with the connection fit to reuse: it waits for the next, or closes. */
    void release(Channel channel) {
        Pipe pipe = pipe(channel);
        pipe.exchange = null;
        synchronized (this) {
            if (!closed && channel.isActive() && idleCount < maxIdle) {
                idle.computeIfAbsent(pipe.origin, o -> new ArrayDeque<>()).add(channel);
                idleCount++;
                channel.config().setAutoRead(true); // so the server closing it is seen
                return;
            }
        }
        channel.close();
    }

    /** Closes the idle connections; those in use close as their exchanges end. */
    void close() {
        List<Channel> channels = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(channels::addAll);
            idle.clear();
            idleCount = 0;
        }
        channels.forEach(Channel::close);
    }

    private synchronized void forget(Origin origin, Channel channel) {
        Deque<Channel> channels = idle.get(origin);
        if (channels != null && channels.remove(channel)) {
            idleCount--;
        }
    }

    private static Pipe pipe(Channel channel) {
        return (Pipe) channel.pipeline().get("exchange");
    }

    private static SSLEngine tlsEngine(Channel ch, Origin origin) {
        SSLEngine engine = Tls.CONTEXT.newEngine(ch.alloc(), origin.host(), origin.port()); // the host name: SNI
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The JDK's TLS with its default trust store, made once. */
    private static final class Tls {
        static final SslContext CONTEXT = build();

        private static SslContext build() {
            try {
                return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
            } catch (SSLException e) {
                throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
            }
        }
    }

    /** Passes a connection's response to its exchange; an idle connection that hears anything is closed. */
    private final class Pipe extends ChannelInboundHandlerAdapter {
        private final Origin origin;
        volatile Exchange exchange;

        Pipe(Origin origin) {
            this.origin = origin;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Exchange current = exchange;
            try {
                if (current == null) {
                    ctx.close(); // nothing was asked
                } else if (message instanceof HttpObject http) {
                    current.read(http);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                fail(ctx, handshake.cause());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            forget(origin, ctx.channel());
            fail(ctx, new IOException("the server closed the connection"));
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            Exchange current = exchange;
            exchange = null;
            ctx.close();
            if (current != null) {
                current.failed(cause);
            }
        }
    }
}
