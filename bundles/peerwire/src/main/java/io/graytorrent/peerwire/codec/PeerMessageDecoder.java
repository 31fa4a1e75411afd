package io.graytorrent.peerwire.codec;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the stream after the handshake into {@link PeerMessage}s. Every frame's length is checked
 * against what its id allows before a byte of payload is buffered: a PIECE carries at most
 * {@link PeerMessage#MAX_BLOCK_LENGTH} bytes, a BITFIELD exactly {@code ceil(pieces / 8)} with zero
 * spare bits, an EXTENDED message at most {@code maxExtendedPayload}, a BEP 52 HASHES message at most
 * {@link PeerMessage#MAX_HASHES_LENGTH} base hashes and exactly the uncle hashes its proof layers
 * call for (hash requests and rejects are checked as {@link PeerMessage.HashRequest} says); Fast and extension messages
 * are accepted only if both sides announced them. Anything else fails with a
 * {@link PeerProtocolException}, after which all input is discarded. Frames with an id we do not
 * know are skipped (bounded by the largest frame we accept) without being buffered.
 *
 * <p>A received PIECE's block is a retained slice of the receive buffer, not a copy. Reads are cumulated
 * as a composite of the buffers read, not copied into one: the blocks still held keep the receive buffer
 * shared, and a shared buffer is never written to, so merging would copy every read a second time (what
 * was left of the last one and all of the new one) into a fresh buffer.
 */
public final class PeerMessageDecoder extends ByteToMessageDecoder {
    private static final int PIECE_HEADER = 1 + 4 + 4;
    private static final int HASH_LENGTH = PeerMessage.HashRequest.ROOT_LENGTH;
    /** The largest HASHES payload: the request, the most base hashes and one uncle a layer. */
    private static final int MAX_HASHES_PAYLOAD = PeerMessage.HashRequest.PAYLOAD_LENGTH
            + (PeerMessage.MAX_HASHES_LENGTH + PeerMessage.MAX_HASH_LAYER + 1) * HASH_LENGTH;

    private enum State { READ_HEADER, READ_PAYLOAD, SKIP_UNKNOWN, BAD }

    private final Capabilities negotiated;
    private final int maxExtendedPayload;
    /** Set at construction, or later once by {@link #pieceCount(int)} (a magnet link's metadata arrived). */
    private int pieceCount;
    private int maxFrame;

    private State state = State.READ_HEADER;
    private byte id;
    private int payloadLength;
    private long toSkip;

    /**
     * @param pieceCount         pieces in the torrent, or 0 while unknown (a magnet link before its
     *                           metadata): then indices are unchecked and a bitfield is bounded only
     *                           by the largest frame
     * @param negotiated         the extensions both sides announced
     * @param maxExtendedPayload the largest extended message payload accepted
     */
    public PeerMessageDecoder(int pieceCount, Capabilities negotiated, int maxExtendedPayload) {
        if (pieceCount < 0 || maxExtendedPayload < 1) {
            throw new IllegalArgumentException("piece count and extended payload bound must not be negative");
        }
        this.negotiated = negotiated;
        this.maxExtendedPayload = maxExtendedPayload;
        setPieceCount(pieceCount);
        setCumulator(COMPOSITE_CUMULATOR);
    }

    /**
     * The piece count, unknown (0) when the decoder was made, became known: indices and bitfields are
     * checked against it from the next frame on. Call on the channel's event loop, between reads.
     *
     * @throws IllegalStateException if the count was known already and differs
     */
    public void pieceCount(int count) {
        if (count < 1 || (pieceCount != 0 && pieceCount != count)) {
            throw new IllegalStateException("piece count " + pieceCount + " cannot become " + count);
        }
        setPieceCount(count);
    }

    private void setPieceCount(int count) {
        pieceCount = count;
        maxFrame = Math.max(Math.max(PIECE_HEADER + PeerMessage.MAX_BLOCK_LENGTH, 1 + MAX_HASHES_PAYLOAD),
                Math.max(2 + maxExtendedPayload, 1 + bitfieldLength()));
    }

    private int bitfieldLength() {
        return (pieceCount + 7) >>> 3;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case READ_HEADER -> {
                    if (!readHeader(in, out)) {
                        return;
                    }
                }
                case READ_PAYLOAD -> {
                    if (in.readableBytes() < payloadLength) {
                        return;
                    }
                    out.add(readPayload(in.readSlice(payloadLength)));
                    state = State.READ_HEADER;
                }
                case SKIP_UNKNOWN -> {
                    int skipped = (int) Math.min(toSkip, in.readableBytes());
                    in.skipBytes(skipped);
                    toSkip -= skipped;
                    if (toSkip > 0) {
                        return;
                    }
                    state = State.READ_HEADER;
                }
                case BAD -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    /** Reads a length and id if they are all here; false if more input is needed. */
    private boolean readHeader(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return false;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length == 0) {
            in.skipBytes(4);
            out.add(PeerMessage.KeepAlive.INSTANCE);
            return true;
        }
        if (length > maxFrame) {
            throw bad("frame of " + length + " bytes exceeds the limit of " + maxFrame);
        }
        if (in.readableBytes() < 5) {
            return false;
        }
        in.skipBytes(4);
        id = in.readByte();
        payloadLength = (int) length - 1;
        if (isKnown(id)) {
            checkAllowed(id, payloadLength);
            state = State.READ_PAYLOAD;
        } else {
            toSkip = payloadLength;
            state = State.SKIP_UNKNOWN;
        }
        return true;
    }

    private static boolean isKnown(byte id) {
        return id >= MessageIds.CHOKE && id <= MessageIds.PORT
                || id >= MessageIds.SUGGEST_PIECE && id <= MessageIds.ALLOWED_FAST
                || id >= MessageIds.EXTENDED && id <= MessageIds.HASH_REJECT;
    }

    private void checkAllowed(byte id, int length) {
        boolean fastMessage = id >= MessageIds.SUGGEST_PIECE && id <= MessageIds.ALLOWED_FAST;
        if (fastMessage && !negotiated.fast()) {
            throw bad("Fast extension message " + id + " without the Fast extension");
        }
        if (id == MessageIds.EXTENDED && !negotiated.extensionProtocol()) {
            throw bad("extended message without the extension protocol");
        }
        boolean fits = switch (id) {
            case MessageIds.CHOKE, MessageIds.UNCHOKE, MessageIds.INTERESTED, MessageIds.NOT_INTERESTED,
                    MessageIds.HAVE_ALL, MessageIds.HAVE_NONE -> length == 0;
            case MessageIds.HAVE, MessageIds.SUGGEST_PIECE, MessageIds.ALLOWED_FAST -> length == 4;
            case MessageIds.REQUEST, MessageIds.CANCEL, MessageIds.REJECT_REQUEST -> length == 12;
            case MessageIds.PORT -> length == 2;
            case MessageIds.PIECE -> length > 8 && length <= 8 + PeerMessage.MAX_BLOCK_LENGTH;
            case MessageIds.BITFIELD -> pieceCount == 0 ? length > 0 : length == bitfieldLength();
            case MessageIds.EXTENDED -> length >= 1 && length <= 1 + maxExtendedPayload;
            case MessageIds.HASH_REQUEST, MessageIds.HASH_REJECT -> length == PeerMessage.HashRequest.PAYLOAD_LENGTH;
            case MessageIds.HASHES -> length >= PeerMessage.HashRequest.PAYLOAD_LENGTH && length <= MAX_HASHES_PAYLOAD
                    && (length - PeerMessage.HashRequest.PAYLOAD_LENGTH) % HASH_LENGTH == 0;
            default -> throw new IllegalStateException("unknown id " + id);
        };
        if (!fits) {
            throw bad("message " + id + " with a payload of " + length + " bytes");
        }
    }

    private PeerMessage readPayload(ByteBuf payload) {
        return switch (id) {
            case MessageIds.CHOKE -> PeerMessage.Choke.INSTANCE;
            case MessageIds.UNCHOKE -> PeerMessage.Unchoke.INSTANCE;
            case MessageIds.INTERESTED -> PeerMessage.Interested.INSTANCE;
            case MessageIds.NOT_INTERESTED -> PeerMessage.NotInterested.INSTANCE;
            case MessageIds.HAVE_ALL -> PeerMessage.HaveAll.INSTANCE;
            case MessageIds.HAVE_NONE -> PeerMessage.HaveNone.INSTANCE;
            case MessageIds.HAVE -> new PeerMessage.Have(readPiece(payload));
            case MessageIds.SUGGEST_PIECE -> new PeerMessage.SuggestPiece(readPiece(payload));
            case MessageIds.ALLOWED_FAST -> new PeerMessage.AllowedFast(readPiece(payload));
            case MessageIds.REQUEST -> new PeerMessage.Request(readPiece(payload), readOffset(payload), readBlockLength(payload));
            case MessageIds.CANCEL -> new PeerMessage.Cancel(readPiece(payload), readOffset(payload), readBlockLength(payload));
            case MessageIds.REJECT_REQUEST ->
                    new PeerMessage.RejectRequest(readPiece(payload), readOffset(payload), readBlockLength(payload));
            case MessageIds.PIECE -> new PeerMessage.Piece(readPiece(payload), readOffset(payload),
                    payload.readRetainedSlice(payload.readableBytes()));
            case MessageIds.PORT -> new PeerMessage.Port(payload.readUnsignedShort());
            case MessageIds.BITFIELD -> readBitfield(payload);
            case MessageIds.EXTENDED -> new PeerMessage.Extended(payload.readUnsignedByte(), bytes(payload));
            case MessageIds.HASH_REQUEST -> readHashRequest(payload);
            case MessageIds.HASH_REJECT -> new PeerMessage.HashReject(readHashRequest(payload));
            case MessageIds.HASHES -> readHashes(payload);
            default -> throw new IllegalStateException("unknown id " + id);
        };
    }

    private int readPiece(ByteBuf payload) {
        long piece = payload.readUnsignedInt();
        if (pieceCount == 0 ? piece > Integer.MAX_VALUE : piece >= pieceCount) {
            throw bad("piece index " + piece + " out of range for " + pieceCount + " pieces");
        }
        return (int) piece;
    }

    private int readOffset(ByteBuf payload) {
        long offset = payload.readUnsignedInt();
        if (offset > Integer.MAX_VALUE) {
            throw bad("block offset " + offset + " out of range");
        }
        return (int) offset;
    }

    private int readBlockLength(ByteBuf payload) {
        long length = payload.readUnsignedInt();
        if (length == 0 || length > PeerMessage.MAX_BLOCK_LENGTH) {
            throw bad("block length " + length + " outside 1.." + PeerMessage.MAX_BLOCK_LENGTH);
        }
        return (int) length;
    }

    private PeerMessage.HashRequest readHashRequest(ByteBuf payload) {
        byte[] root = new byte[HASH_LENGTH];
        payload.readBytes(root);
        long base = payload.readUnsignedInt();
        long index = payload.readUnsignedInt();
        long length = payload.readUnsignedInt();
        long proofLayers = payload.readUnsignedInt();
        String problem = PeerMessage.HashRequest.problem(base, index, length, proofLayers);
        if (problem != null) {
            throw bad(problem);
        }
        return new PeerMessage.HashRequest(root, (int) base, (int) index, (int) length, (int) proofLayers);
    }

    private PeerMessage.Hashes readHashes(ByteBuf payload) {
        PeerMessage.HashRequest request = readHashRequest(payload);
        int hashes = payload.readableBytes() / HASH_LENGTH;
        if (request.length() > PeerMessage.MAX_HASHES_LENGTH || hashes != request.length() + request.uncleCount()) {
            throw bad("hashes message with " + hashes + " hashes for " + request + " (at most "
                    + PeerMessage.MAX_HASHES_LENGTH + " base hashes and one uncle a proof layer above them)");
        }
        return new PeerMessage.Hashes(request, bytes(payload));
    }

    private PeerMessage.Bitfield readBitfield(ByteBuf payload) {
        byte[] bits = bytes(payload);
        int spareBits = bits.length * 8 - pieceCount;
        if (pieceCount > 0 && spareBits > 0 && (bits[bits.length - 1] & ((1 << spareBits) - 1)) != 0) {
            throw bad("bitfield has spare bits set");
        }
        return new PeerMessage.Bitfield(bits);
    }

    private static byte[] bytes(ByteBuf payload) {
        byte[] bytes = new byte[payload.readableBytes()];
        payload.readBytes(bytes);
        return bytes;
    }

    private PeerProtocolException bad(String reason) {
        state = State.BAD;
        return new PeerProtocolException(reason);
    }
}
