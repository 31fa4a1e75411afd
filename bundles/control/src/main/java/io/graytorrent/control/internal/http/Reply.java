package io.graytorrent.control.internal.http;

import io.netty.channel.ChannelHandlerContext;

/** An answer to one request, written to its channel from any thread. */
@FunctionalInterface
public interface Reply {
    void send(ChannelHandlerContext ctx);
}
