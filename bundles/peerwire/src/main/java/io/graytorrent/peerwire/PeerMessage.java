package io.graytorrent.peerwire;

import io.graytorrent.api.util.Bitfields;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A message after the handshake. On the wire each is {@code <length: uint32><id: uint8><payload>},
 * all integers big-endian, the length counting the id and the payload; the ids are in
 * {@link MessageIds}. Indices, offsets and lengths are unsigned 32-bit on the wire and are held
 * as {@code int}s that the decoder has checked to be non-negative.
 */
public sealed interface PeerMessage {
    /** The block size every client requests, and the largest block we accept or serve (16 KiB). */
    int MAX_BLOCK_LENGTH = 16 * 1024;

    /** {@code <len=0>}: no id, no payload; keeps an idle connection open. */
    record KeepAlive() implements PeerMessage {
        public static final KeepAlive INSTANCE = new KeepAlive();
    }

    /** {@code <len=1><id=0>} */
    record Choke() implements PeerMessage {
        public static final Choke INSTANCE = new Choke();
    }

    /** {@code <len=1><id=1>} */
    record Unchoke() implements PeerMessage {
        public static final Unchoke INSTANCE = new Unchoke();
    }

    /** {@code <len=1><id=2>} */
    record Interested() implements PeerMessage {
        public static final Interested INSTANCE = new Interested();
    }

    /** {@code <len=1><id=3>} */
    record NotInterested() implements PeerMessage {
        public static final NotInterested INSTANCE = new NotInterested();
    }

    /** {@code <len=5><id=4><piece index>} */
    record Have(int piece) implements PeerMessage {
    }

    /**
     * {@code <len=1+ceil(pieces/8)><id=5><bits>}: piece 0 is the high bit of the first byte;
     * spare bits at the end are zero.
     */
    record Bitfield(byte[] bits) implements PeerMessage {
        public Bitfield {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        public boolean has(int piece) {
            return Bitfields.has(bits, piece);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bitfield that && Arrays.equals(bits, that.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    /** {@code <len=13><id=6><piece index><begin><length>} */
    record Request(int piece, int offset, int length) implements PeerMessage {
    }

    /**
     * {@code <len=9+n><id=7><piece index><begin><block: n bytes>}. The block is a reference-counted
     * buffer: a received Piece hands its (retained slice of the receive buffer) to the listener,
     * which must release it; sending a Piece hands the buffer to the channel, which releases it.
     */
    record Piece(int piece, int offset, ByteBuf data) implements PeerMessage {
    }

    /** {@code <len=13><id=8><piece index><begin><length>} */
    record Cancel(int piece, int offset, int length) implements PeerMessage {
    }

    /** {@code <len=3><id=9><listen port: uint16>} (BEP 5): the sender's DHT node port. */
    record Port(int port) implements PeerMessage {
    }

    /** {@code <len=5><id=0x0D><piece index>} (BEP 6) */
    record SuggestPiece(int piece) implements PeerMessage {
    }

    /** {@code <len=1><id=0x0E>} (BEP 6) */
    record HaveAll() implements PeerMessage {
        public static final HaveAll INSTANCE = new HaveAll();
    }

    /** {@code <len=1><id=0x0F>} (BEP 6) */
    record HaveNone() implements PeerMessage {
        public static final HaveNone INSTANCE = new HaveNone();
    }

    /** {@code <len=13><id=0x10><piece index><begin><length>} (BEP 6) */
    record RejectRequest(int piece, int offset, int length) implements PeerMessage {
    }

    /** {@code <len=5><id=0x11><piece index>} (BEP 6) */
    record AllowedFast(int piece) implements PeerMessage {
    }

    /**
     * {@code <len=2+n><id=20><extended id: uint8><payload: n bytes>} (BEP 10). Extended id 0 is the
     * extension handshake; other ids are the ones the receiver assigned in its handshake.
     */
    record Extended(int extendedId, byte[] payload) implements PeerMessage {
        public Extended {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Extended that && extendedId == that.extendedId
                    && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extendedId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[id=" + extendedId + ", " + payload.length + " bytes]";
        }
    }
}
