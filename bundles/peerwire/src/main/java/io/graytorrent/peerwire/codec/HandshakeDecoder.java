package io.graytorrent.peerwire.codec;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the peer's 68-byte {@link Handshake}. The protocol string is checked as soon as its bytes
 * arrive, so a stranger (an HTTP client, an encrypted stream) is refused without waiting for more.
 * After one handshake the decoder swallows further input until the pipeline replaces it; whoever
 * handles the {@link Handshake} installs a {@link PeerMessageDecoder} and removes this one, which
 * hands the bytes already received on to the message decoder.
 */
public final class HandshakeDecoder extends ByteToMessageDecoder {
    private static final byte[] PREFIX = prefix();

    private boolean done;

    private static byte[] prefix() {
        byte[] protocol = Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = new byte[1 + protocol.length];
        prefix[0] = (byte) protocol.length;
        System.arraycopy(protocol, 0, prefix, 1, protocol.length);
        return prefix;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int checkable = Math.min(in.readableBytes(), PREFIX.length);
        for (int i = 0; i < checkable; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFIX[i]) {
                done = true;
                throw new PeerProtocolException("not a BitTorrent handshake: starts with "
                        + ByteBufUtil.hexDump(in, in.readerIndex(), checkable));
            }
        }
        if (in.readableBytes() < Handshake.LENGTH) {
            return;
        }
        in.skipBytes(PREFIX.length);
        Capabilities capabilities = Capabilities.fromReserved(read(in, Capabilities.RESERVED_LENGTH));
        InfoHash infoHash = InfoHash.of(read(in, InfoHash.LENGTH));
        PeerId peerId = PeerId.of(read(in, PeerId.LENGTH));
        done = true;
        out.add(new Handshake(capabilities, infoHash, peerId));
    }

    private static byte[] read(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }
}
