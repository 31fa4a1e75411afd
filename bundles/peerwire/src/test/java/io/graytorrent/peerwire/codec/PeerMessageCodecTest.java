package io.graytorrent.peerwire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Unit
class PeerMessageCodecTest {
    private static final int PIECES = 100;
    private static final Capabilities ALL = new Capabilities(true, true, true);
    private static final int MAX_EXTENDED = 1024;

    static Stream<PeerMessage> everyMessage() {
        byte[] bits = new byte[13];
        bits[0] = (byte) 0b1010_0000;
        bits[12] = (byte) 0b1111_0000; // pieces 96..99, the last four bits spare
        byte[] block = new byte[PeerMessage.MAX_BLOCK_LENGTH];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31);
        }
        return Stream.of(PeerMessage.KeepAlive.INSTANCE, PeerMessage.Choke.INSTANCE, PeerMessage.Unchoke.INSTANCE,
                PeerMessage.Interested.INSTANCE, PeerMessage.NotInterested.INSTANCE, new PeerMessage.Have(99),
                new PeerMessage.Bitfield(bits), new PeerMessage.Request(7, 16384, 16384),
                new PeerMessage.Piece(3, 32768, Unpooled.wrappedBuffer(block)), new PeerMessage.Cancel(7, 0, 1),
                new PeerMessage.Port(6881), new PeerMessage.SuggestPiece(1), PeerMessage.HaveAll.INSTANCE,
                PeerMessage.HaveNone.INSTANCE, new PeerMessage.RejectRequest(0, 0, 16384),
                new PeerMessage.AllowedFast(42), new PeerMessage.Extended(0, "d1:md11:ut_metadatai3eee".getBytes()),
                new PeerMessage.Extended(3, new byte[MAX_EXTENDED]), HASH_REQUEST,
                new PeerMessage.HashReject(HASH_REQUEST), hashes(HASH_REQUEST),
                hashes(new PeerMessage.HashRequest(ROOT, 0, 0, 1, 0)),
                hashes(new PeerMessage.HashRequest(ROOT, 2, 1024, PeerMessage.MAX_HASHES_LENGTH, 60)));
    }

    private static final byte[] ROOT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff".repeat(2));
    /** Four piece-layer hashes (16 KiB × 2^3 pieces) from the 8th, proved three layers above them. */
    private static final PeerMessage.HashRequest HASH_REQUEST = new PeerMessage.HashRequest(ROOT, 3, 8, 4, 4);

    /** An answer with distinct hashes: byte i of the hashes is i * 7. */
    private static PeerMessage.Hashes hashes(PeerMessage.HashRequest request) {
        byte[] hashes = new byte[(request.length() + request.uncleCount()) * 32];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (byte) (i * 7);
        }
        return new PeerMessage.Hashes(request, hashes);
    }

    private static EmbeddedChannel decoder() {
        return new EmbeddedChannel(new PeerMessageDecoder(PIECES, ALL, MAX_EXTENDED));
    }

    /** Encodes; a Piece's block is kept alive for comparison (sending hands the buffer over). */
    private static byte[] encode(PeerMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        assertTrue(channel.writeOutbound(message instanceof PeerMessage.Piece p
                ? new PeerMessage.Piece(p.piece(), p.offset(), p.data().retainedDuplicate()) : message));
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; part.release()) {
            all.writeBytes(part);
        }
        return ByteBufUtil.getBytes(all);
    }

    private static List<PeerMessage> drain(EmbeddedChannel channel) {
        List<PeerMessage> messages = new ArrayList<>();
        for (PeerMessage m; (m = channel.readInbound()) != null; ) {
            messages.add(m);
        }
        return messages;
    }

    /** Pieces compare by content; their buffers are released here. */
    private static void assertSameMessage(PeerMessage expected, PeerMessage actual) {
        if (expected instanceof PeerMessage.Piece want) {
            PeerMessage.Piece got = assertInstanceOf(PeerMessage.Piece.class, actual);
            assertEquals(want.piece(), got.piece());
            assertEquals(want.offset(), got.offset());
            assertEquals(want.data(), got.data());
            got.data().release();
        } else {
            assertEquals(expected, actual);
        }
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void roundTripsInOneBuffer(PeerMessage message) {
        EmbeddedChannel channel = decoder();
        channel.writeInbound(Unpooled.wrappedBuffer(encode(message)));
        List<PeerMessage> decoded = drain(channel);
        assertEquals(1, decoded.size());
        assertSameMessage(message, decoded.get(0));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void roundTripsFedInSplitChunks(PeerMessage message) {
        byte[] wire = encode(message);
        for (int chunk : new int[] {1, 3, 7, 4096}) {
            EmbeddedChannel channel = decoder();
            for (int at = 0; at < wire.length; at += chunk) {
                channel.writeInbound(Unpooled.wrappedBuffer(wire, at, Math.min(chunk, wire.length - at)));
            }
            List<PeerMessage> decoded = drain(channel);
            assertEquals(1, decoded.size(), "chunks of " + chunk);
            assertSameMessage(message, decoded.get(0));
        }
    }

    @Test
    void decodesEveryMessageFromOneBigBuffer() {
        List<PeerMessage> messages = everyMessage().toList();
        ByteBuf all = Unpooled.buffer();
        messages.forEach(m -> all.writeBytes(encode(m)));
        EmbeddedChannel channel = decoder();
        channel.writeInbound(all);
        List<PeerMessage> decoded = drain(channel);
        assertEquals(messages.size(), decoded.size());
        for (int i = 0; i < messages.size(); i++) {
            assertSameMessage(messages.get(i), decoded.get(i));
        }
    }

    @Test
    void pieceBlockIsASliceOfTheReceiveBufferNotACopy() {
        ByteBuf wire = Unpooled.wrappedBuffer(encode(new PeerMessage.Piece(1, 0, Unpooled.wrappedBuffer(new byte[100]))));
        EmbeddedChannel channel = decoder();
        channel.writeInbound(wire);
        PeerMessage.Piece piece = channel.readInbound();
        assertSame(wire, piece.data().unwrap());
        piece.data().release();
    }

    @Test
    void encodesPieceAsHeaderThenTheBlockBufferItself() {
        ByteBuf block = Unpooled.directBuffer(16).writeZero(16);
        EmbeddedChannel channel = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        channel.writeOutbound(new PeerMessage.Piece(2, 16, block));
        ByteBuf header = channel.readOutbound();
        assertEquals("0000001907" + "00000002" + "00000010", ByteBufUtil.hexDump(header));
        assertSame(block, channel.readOutbound());
        header.release();
        block.release();
    }

    @Test
    void unknownMessageIdsAreSkippedWithoutBuffering() {
        EmbeddedChannel channel = decoder();
        channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0000000563")));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}));
        channel.writeInbound(Unpooled.wrappedBuffer(encode(new PeerMessage.Have(5))));
        assertEquals(List.of(new PeerMessage.Have(5)), drain(channel));
    }

    /** Frames as hex; each fails with a PeerProtocolException whose reason contains the text. */
    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                Arguments.of("frame longer than any message", "0001000107", ALL, "exceeds the limit"),
                Arguments.of("length field of 4 GiB", "ffffffff07", ALL, "exceeds the limit"),
                Arguments.of("choke with a payload", "000000020000", ALL, "message 0 with a payload of 1"),
                Arguments.of("have with 3 bytes", "0000000404000001", ALL, "message 4 with a payload of 3"),
                Arguments.of("have beyond the last piece", "000000050400000064", ALL, "piece index 100 out of range"),
                Arguments.of("have with a huge index", "0000000504ffffffff", ALL, "out of range"),
                Arguments.of("request of 0 bytes", "0000000d06000000000000000000000000", ALL, "block length 0"),
                Arguments.of("request of 16 KiB + 1", "0000000d06000000000000000000004001", ALL, "block length 16385"),
                Arguments.of("request at offset 2^31", "0000000d06000000008000000000004000", ALL, "block offset"),
                Arguments.of("piece without a block", "00000009070000000000000000", ALL, "message 7 with a payload of 8"),
                Arguments.of("piece over 16 KiB", "0000400a07", ALL, "message 7 with a payload of 16393"),
                Arguments.of("bitfield one byte short", "0000000c05", ALL, "message 5 with a payload of 11"),
                Arguments.of("bitfield with a spare bit set", "0000000e05" + "00".repeat(12) + "01", ALL,
                        "spare bits"),
                Arguments.of("port of one byte", "000000020901", ALL, "message 9 with a payload of 1"),
                Arguments.of("have all without Fast", "000000010e", Capabilities.NONE, "without the Fast extension"),
                Arguments.of("allowed fast without Fast", "0000000511", Capabilities.NONE, "without the Fast"),
                Arguments.of("extended without BEP 10", "0000000314", Capabilities.NONE, "without the extension"),
                Arguments.of("extended without an id", "0000000114", ALL, "message 20 with a payload of 0"),
                Arguments.of("extended over the bound", "0000040314", ALL, "message 20 with a payload of 1026"),
                Arguments.of("hash request one byte short", "0000003015", ALL, "message 21 with a payload of 47"),
                Arguments.of("hash reject one byte long", "0000003217", ALL, "message 23 with a payload of 49"),
                Arguments.of("hashes without the request", "0000002116", ALL, "message 22 with a payload of 32"),
                Arguments.of("hashes of a partial hash", "0000005216", ALL, "message 22 with a payload of 81"),
                Arguments.of("hashes over the frame limit", "0000483216", ALL, "exceeds the limit of 18481"),
                Arguments.of("hash request of length 3", hashFrame(21, 0, 0, 3, 0, 0), ALL, "length 3 is no power"),
                Arguments.of("hash request of length 0", hashFrame(21, 0, 0, 0, 0, 0), ALL, "length 0 is no power"),
                Arguments.of("hash request of 16384 hashes", hashFrame(21, 0, 0, 16384, 0, 0), ALL, "1..8192"),
                Arguments.of("hash request at an unaligned index", hashFrame(21, 0, 6, 4, 0, 0), ALL,
                        "index 6 is no multiple of its length 4"),
                Arguments.of("hash request at index 2^32 - 2", hashFrame(21, 0, 0xfffffffeL, 2, 0, 0), ALL,
                        "index 4294967294"),
                Arguments.of("hash request on layer 64", hashFrame(21, 64, 0, 2, 0, 0), ALL, "outside 0..63"),
                Arguments.of("hash reject of 2^32 - 1 proof layers", hashFrame(23, 0, 0, 2, 0xffffffffL, 0), ALL,
                        "outside 0..63"),
                Arguments.of("hashes missing an uncle", hashFrame(22, 3, 8, 4, 4, 5), ALL,
                        "with 5 hashes for HashRequest"),
                Arguments.of("hashes with an uncle too many", hashFrame(22, 0, 0, 2, 0, 3), ALL, "with 3 hashes"),
                Arguments.of("hashes of 1024 base hashes", hashFrame(22, 0, 0, 1024, 0, 0), ALL, "at most 512"));
    }

    /** A hash message frame with a zero root and {@code hashes} zero hashes after the request. */
    private static String hashFrame(int id, long base, long index, long length, long proofLayers, int hashes) {
        return String.format("%08x%02x", 49 + 32 * hashes, id) + "00".repeat(32)
                + String.format("%08x%08x%08x%08x", base, index, length, proofLayers) + "00".repeat(32 * hashes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void malformedFramesFailAndLaterInputIsDiscarded(String name, String hex, Capabilities negotiated, String reason) {
        EmbeddedChannel channel = new EmbeddedChannel(new PeerMessageDecoder(PIECES, negotiated, MAX_EXTENDED));
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex))));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        channel.writeInbound(Unpooled.wrappedBuffer(encode(new PeerMessage.Have(1))));
        assertNull(channel.readInbound());
    }

    @Test
    void hashesCarryBaseHashesThenOneUncleForEachProofLayerAboveTheirSubtree() {
        // 4 base hashes span 2 layers of their own; proof layers 4 reach 2 layers further: 3 uncles,
        // on the layers 2, 3 and 4 above the base (the subtree's root's sibling first)
        assertEquals(3, HASH_REQUEST.uncleCount());
        assertEquals(0, new PeerMessage.HashRequest(ROOT, 0, 0, 4, 1).uncleCount(), "within the subtree");
        assertEquals(1, new PeerMessage.HashRequest(ROOT, 0, 0, 4, 2).uncleCount());
        assertEquals(2, new PeerMessage.HashRequest(ROOT, 0, 6, 1, 1).uncleCount(), "one hash: its own sibling too");
        byte[] wire = encode(hashes(HASH_REQUEST));
        assertEquals(4 + 1 + 48 + 7 * 32, wire.length);
        assertEquals("0000011116" + HexFormat.of().formatHex(ROOT) + "00000003" + "00000008" + "00000004" + "00000004",
                HexFormat.of().formatHex(wire, 0, 5 + 48));
    }

    @Test
    void hashMessagesRefuseWhatTheirRecordCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new PeerMessage.HashRequest(new byte[20], 0, 0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new PeerMessage.HashRequest(ROOT, 0, 2, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new PeerMessage.Hashes(HASH_REQUEST, new byte[4 * 32]));
    }

    @Test
    void bitfieldOfUnknownPieceCountIsBoundedOnlyByTheFrameLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new PeerMessageDecoder(0, ALL, MAX_EXTENDED));
        byte[] bits = new byte[5000];
        bits[4999] = 1;
        channel.writeInbound(Unpooled.wrappedBuffer(encode(new PeerMessage.Bitfield(bits))));
        PeerMessage.Bitfield decoded = channel.readInbound();
        assertArrayEquals(bits, decoded.bits());
        assertTrue(decoded.has(39999));
    }
}
