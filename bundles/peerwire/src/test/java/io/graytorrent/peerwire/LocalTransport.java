package io.graytorrent.peerwire;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a transport plugin such as uTP: Netty's in-JVM {@link LocalChannel}s, so the
 * peer wire is shown to run over a connection that is not TCP. Like uTP on the shared UDP socket,
 * it "listens" on the peer wire's own address and port ({@link #serve}), handing what it accepts
 * to the peer wire, and dials the local address named after the address it is asked for.
 */
final class LocalTransport implements PeerTransport, AutoCloseable {
    private final EventLoopGroup group = new DefaultEventLoopGroup(1);
    /** Closed before the event loop stops, so no peer channel outlives the loop it would notify. */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final String name;
    private Channel server;

    LocalTransport(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Hands every connection made to {@code wire}'s listen address to {@code wire}, as a transport plugin does. */
    LocalTransport serve(PeerWire wire) {
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new HandOver(wire))
                .bind(local(wire.listenAddress())).syncUninterruptibly().channel();
        return this;
    }

    /** Hands each accepted channel to the peer wire once it is active, leaving its pipeline empty. */
    @ChannelHandler.Sharable
    private final class HandOver extends ChannelInboundHandlerAdapter {
        private final PeerWire wire;

        HandOver(PeerWire wire) {
            this.wire = wire;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            channels.add(ctx.channel());
            // a made-up peer address: a local channel has none of its own
            wire.accept(LocalTransport.this, ctx.channel(), new InetSocketAddress("127.0.0.2", 6881));
        }
    }

    @Override
    public CompletableFuture<Channel> connect(InetSocketAddress peer) {
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        new Bootstrap().group(group).channel(LocalChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        // the transport's own handlers would go here; the peer wire adds its after them
                    }
                })
                .connect(local(peer)).addListener((ChannelFuture done) -> {
                    if (!done.isSuccess()) {
                        connected.completeExceptionally(done.cause());
                    } else if (channels.add(done.channel()) && !connected.complete(done.channel())) {
                        done.channel().close(); // the peer wire gave up waiting
                    }
                });
        return connected;
    }

    private static LocalAddress local(InetSocketAddress address) {
        return new LocalAddress("peer-" + address.getHostString() + "-" + address.getPort());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        channels.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
