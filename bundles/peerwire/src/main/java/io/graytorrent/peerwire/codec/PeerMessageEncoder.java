package io.graytorrent.peerwire.codec;

import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link PeerMessage}s; stateless, so one instance serves every channel. A PIECE goes out as
 * its 13-byte header followed by the block's own buffer, so a pooled direct buffer filled by the
 * disk reaches the socket without a copy, in the same gathering write as its header.
 */
@Sharable
public final class PeerMessageEncoder extends MessageToMessageEncoder<PeerMessage> {
    public static final PeerMessageEncoder INSTANCE = new PeerMessageEncoder();

    private PeerMessageEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage message, List<Object> out) {
        if (message instanceof PeerMessage.Piece piece) {
            out.add(pieceHeader(ctx, piece.piece(), piece.offset(), piece.data().readableBytes()));
            out.add(piece.data());
            return;
        }
        ByteBuf buf = ctx.alloc().ioBuffer(message instanceof PeerMessage.Hashes h
                ? 5 + PeerMessage.HashRequest.PAYLOAD_LENGTH + h.request().length() * 32 + 64 * 32 : 53);
        write(message, buf);
        out.add(buf);
    }

    /** Writes a message other than PIECE into {@code out}, length prefix included. */
    private static void write(PeerMessage message, ByteBuf out) {
        // pattern matching over the sealed interface in a switch needs Java 21; this is Java 17
        if (message instanceof PeerMessage.KeepAlive) {
            out.writeInt(0);
        } else if (message instanceof PeerMessage.Choke) {
            bare(out, MessageIds.CHOKE);
        } else if (message instanceof PeerMessage.Unchoke) {
            bare(out, MessageIds.UNCHOKE);
        } else if (message instanceof PeerMessage.Interested) {
            bare(out, MessageIds.INTERESTED);
        } else if (message instanceof PeerMessage.NotInterested) {
            bare(out, MessageIds.NOT_INTERESTED);
        } else if (message instanceof PeerMessage.HaveAll) {
            bare(out, MessageIds.HAVE_ALL);
        } else if (message instanceof PeerMessage.HaveNone) {
            bare(out, MessageIds.HAVE_NONE);
        } else if (message instanceof PeerMessage.Have h) {
            indexOnly(out, MessageIds.HAVE, h.piece());
        } else if (message instanceof PeerMessage.SuggestPiece s) {
            indexOnly(out, MessageIds.SUGGEST_PIECE, s.piece());
        } else if (message instanceof PeerMessage.AllowedFast a) {
            indexOnly(out, MessageIds.ALLOWED_FAST, a.piece());
        } else if (message instanceof PeerMessage.Request r) {
            block(out, MessageIds.REQUEST, r.piece(), r.offset(), r.length());
        } else if (message instanceof PeerMessage.Cancel c) {
            block(out, MessageIds.CANCEL, c.piece(), c.offset(), c.length());
        } else if (message instanceof PeerMessage.RejectRequest r) {
            block(out, MessageIds.REJECT_REQUEST, r.piece(), r.offset(), r.length());
        } else if (message instanceof PeerMessage.Port p) {
            out.writeInt(3).writeByte(MessageIds.PORT).writeShort(p.port());
        } else if (message instanceof PeerMessage.Bitfield b) {
            byte[] bits = b.bits();
            out.writeInt(1 + bits.length).writeByte(MessageIds.BITFIELD).writeBytes(bits);
        } else if (message instanceof PeerMessage.Extended e) {
            byte[] payload = e.payload();
            out.writeInt(2 + payload.length).writeByte(MessageIds.EXTENDED).writeByte(e.extendedId())
                    .writeBytes(payload);
        } else if (message instanceof PeerMessage.HashRequest r) {
            hashRequest(out.writeInt(1 + PeerMessage.HashRequest.PAYLOAD_LENGTH).writeByte(MessageIds.HASH_REQUEST), r);
        } else if (message instanceof PeerMessage.HashReject r) {
            hashRequest(out.writeInt(1 + PeerMessage.HashRequest.PAYLOAD_LENGTH).writeByte(MessageIds.HASH_REJECT),
                    r.request());
        } else if (message instanceof PeerMessage.Hashes h) {
            byte[] hashes = h.hashes();
            hashRequest(out.writeInt(1 + PeerMessage.HashRequest.PAYLOAD_LENGTH + hashes.length)
                    .writeByte(MessageIds.HASHES), h.request()).writeBytes(hashes);
        } else {
            throw new IllegalArgumentException("cannot encode " + message);
        }
    }

    private static ByteBuf pieceHeader(ChannelHandlerContext ctx, int piece, int offset, int blockLength) {
        return ctx.alloc().ioBuffer(13).writeInt(9 + blockLength).writeByte(MessageIds.PIECE)
                .writeInt(piece).writeInt(offset);
    }

    private static ByteBuf hashRequest(ByteBuf out, PeerMessage.HashRequest r) {
        return out.writeBytes(r.piecesRoot()).writeInt(r.baseLayer()).writeInt(r.index()).writeInt(r.length())
                .writeInt(r.proofLayers());
    }

    private static void bare(ByteBuf out, byte id) {
        out.writeInt(1).writeByte(id);
    }

    private static void indexOnly(ByteBuf out, byte id, int piece) {
        out.writeInt(5).writeByte(id).writeInt(piece);
    }

    private static void block(ByteBuf out, byte id, int piece, int offset, int length) {
        out.writeInt(13).writeByte(id).writeInt(piece).writeInt(offset).writeInt(length);
    }
}
