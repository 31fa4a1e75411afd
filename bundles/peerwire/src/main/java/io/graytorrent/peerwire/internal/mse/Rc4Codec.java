package io.graytorrent.peerwire.internal.mse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The RC4 stream after an MSE handshake that selected it: decrypts what arrives in place (the
 * buffer is this connection's own) and encrypts what leaves into a fresh buffer (an outgoing
 * buffer may be shared, e.g. a block served to several peers). Each direction continues the
 * keystream the handshake used.
 */
final class Rc4Codec extends ChannelDuplexHandler {
    private final Rc4 encrypt;
    private final Rc4 decrypt;

    Rc4Codec(Rc4 encrypt, Rc4 decrypt) {
        this.encrypt = encrypt;
        this.decrypt = decrypt;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            decrypt.apply(buf, buf.readerIndex(), buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf plain)) {
            ctx.write(msg, promise);
            return;
        }
        int length = plain.readableBytes();
        ByteBuf cipher = ctx.alloc().ioBuffer(length);
        try {
            encrypt.copy(plain, cipher, length);
        } catch (RuntimeException e) {
            cipher.release();
            throw e;
        } finally {
            plain.release();
        }
        ctx.write(cipher, promise);
    }
}
