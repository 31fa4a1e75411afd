package io.graytorrent.peerwire.codec;

import io.graytorrent.peerwire.Handshake;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes a {@link Handshake}; stateless, so one instance serves every channel. */
@Sharable
public final class HandshakeEncoder extends MessageToByteEncoder<Handshake> {
    public static final HandshakeEncoder INSTANCE = new HandshakeEncoder();

    private HandshakeEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Handshake handshake, ByteBuf out) {
        out.writeByte(Handshake.PROTOCOL.length());
        out.writeCharSequence(Handshake.PROTOCOL, StandardCharsets.US_ASCII);
        out.writeBytes(handshake.capabilities().toReserved());
        out.writeBytes(handshake.infoHash().toBytes());
        out.writeBytes(handshake.peerId().toBytes());
    }
}
