package io.graytorrent.peerwire;

import io.graytorrent.api.util.Bitfields;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A message after the handshake. On the wire each is {@code <length: uint32><id: uint8><payload>},
 * all integers big-endian, the length counting the id and the payload; the ids are in
 * {@link MessageIds}. Indices, offsets and lengths are unsigned 32-bit on the wire and are held
 * as {@code int}s that the decoder has checked to be non-negative.
 */
public sealed interface PeerMessage {
    /**
     * The most hashes a {@link HashRequest} may ask for: a 128 MiB piece's 16 KiB blocks, libtorrent's
     * bound too (BEP 52 says a length SHOULD NOT pass 512; libtorrent asks for a whole piece's blocks).
     */
    int MAX_HASH_REQUEST_LENGTH = 8192;
    /**
     * The most base hashes a received {@link Hashes} may carry: we never ask for more than this (one
     * request covers 512 pieces of a piece layer, as libtorrent's do), so a larger answer is unsolicited.
     */
    int MAX_HASHES_LENGTH = 512;
    /** A merkle tree of a file of at most 2^63 bytes in 16 KiB blocks is 49 layers high; 63 bounds layers. */
    int MAX_HASH_LAYER = 63;

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

    /**
     * {@code <len=49><id=21><pieces root: 32 bytes><base layer><index><length><proof layers>} (BEP 52):
     * {@code length} hashes of the file's merkle tree on layer {@code baseLayer} (0 = the 16 KiB block
     * hashes) from {@code index} on, with the uncle hashes proving them up to {@code proofLayers}
     * layers above the base layer. {@code length} is a power of two (BEP 52 says at least 2;
     * libtorrent asks for 1 when a piece is one block) of at most {@link #MAX_HASH_REQUEST_LENGTH},
     * {@code index} a multiple of it; the layers at most {@link #MAX_HASH_LAYER}.
     */
    record HashRequest(byte[] piecesRoot, int baseLayer, int index, int length, int proofLayers)
            implements PeerMessage {
        public static final int ROOT_LENGTH = 32;
        /** The payload's length: the root and four integers. */
        public static final int PAYLOAD_LENGTH = ROOT_LENGTH + 16;

        public HashRequest {
            if (piecesRoot.length != ROOT_LENGTH) {
                throw new IllegalArgumentException("a pieces root is 32 bytes, not " + piecesRoot.length);
            }
            String problem = problem(baseLayer, index, length, proofLayers);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            piecesRoot = piecesRoot.clone();
        }

        /**
         * What is wrong with these numbers as a hash request, or null if nothing: the decoder turns
         * it into a protocol error without constructing the record.
         */
        public static String problem(long baseLayer, long index, long length, long proofLayers) {
            if (baseLayer < 0 || baseLayer > MAX_HASH_LAYER || proofLayers < 0 || proofLayers > MAX_HASH_LAYER) {
                return "hash request layers " + baseLayer + " and " + proofLayers + " outside 0.." + MAX_HASH_LAYER;
            }
            if (length < 1 || length > MAX_HASH_REQUEST_LENGTH || Long.bitCount(length) != 1) {
                return "hash request length " + length + " is no power of two in 1.." + MAX_HASH_REQUEST_LENGTH;
            }
            if (index < 0 || index > Integer.MAX_VALUE || index % length != 0) {
                return "hash request index " + index + " is no multiple of its length " + length;
            }
            return null;
        }

        @Override
        public byte[] piecesRoot() {
            return piecesRoot.clone();
        }

        /**
         * How many uncle hashes follow the {@code length} base hashes in the answer: one for each
         * proof layer above the subtree the base hashes span (those below are computed from them).
         */
        public int uncleCount() {
            return Math.max(0, proofLayers - Integer.numberOfTrailingZeros(length) + 1);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof HashRequest that && baseLayer == that.baseLayer && index == that.index
                    && length == that.length && proofLayers == that.proofLayers
                    && Arrays.equals(piecesRoot, that.piecesRoot);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(new int[] {Arrays.hashCode(piecesRoot), baseLayer, index, length, proofLayers});
        }

        @Override
        public String toString() {
            return "HashRequest[root=" + HexFormat.of().formatHex(piecesRoot, 0, 4) + "…, base=" + baseLayer
                    + ", index=" + index + ", length=" + length + ", proof=" + proofLayers + "]";
        }
    }

    /**
     * {@code <len=49+32n><id=22><the request's 48 bytes><hashes: n × 32 bytes>} (BEP 52): the answer to
     * {@code request}, its {@code length} base hashes (padding hashes past the end of the file
     * included) then {@link HashRequest#uncleCount()} uncle hashes, nearest the base first.
     */
    record Hashes(HashRequest request, byte[] hashes) implements PeerMessage {
        public Hashes {
            int expected = (request.length() + request.uncleCount()) * HashRequest.ROOT_LENGTH;
            if (hashes.length != expected) {
                throw new IllegalArgumentException("hashes of " + hashes.length + " bytes answer " + request
                        + ", which takes " + expected);
            }
            hashes = hashes.clone();
        }

        @Override
        public byte[] hashes() {
            return hashes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Hashes that && request.equals(that.request) && Arrays.equals(hashes, that.hashes);
        }

        @Override
        public int hashCode() {
            return 31 * request.hashCode() + Arrays.hashCode(hashes);
        }

        @Override
        public String toString() {
            return "Hashes[" + request + ", " + hashes.length / HashRequest.ROOT_LENGTH + " hashes]";
        }
    }

    /** {@code <len=49><id=23><the request's 48 bytes>} (BEP 52): the peer will not answer {@code request}. */
    record HashReject(HashRequest request) implements PeerMessage {
    }
}
