package io.graytorrent.peerwire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Slow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * A peer's BEP 52 hash request, hashes or hash reject through {@link PeerMessageDecoder}. The fuzzer
 * chooses the id (21, 22 or 23) and the payload; the harness writes the length prefix, so every
 * input reaches the payload's checks, and feeds the frame in fuzzer-chosen chunks. The frame decodes
 * to one message of that id, whose encoding is the frame byte for byte and whose numbers are within
 * {@link PeerMessage.HashRequest}'s bounds (a hashes message: at most
 * {@link PeerMessage#MAX_HASHES_LENGTH} base hashes and exactly its uncles), or it fails with a
 * {@link PeerProtocolException}; nothing else escapes.
 *
 * <p>Input layout: the payload, then a byte choosing the chunk size 1..64 and a last byte choosing
 * the id (both consumed from the end).
 * Seeds: src/test/resources/io/graytorrent/peerwire/codec/HashMessagesFuzzTestInputs/decodesOrRefuses/.
 */
@Slow
class HashMessagesFuzzTest {
    /** The decoder and an embedded channel cost a few KiB; a frame is copied a few times. */
    private static final AllocationBudget MEMORY = new AllocationBudget(256 * 1024, 16);

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void decodesOrRefuses(FuzzedDataProvider data) {
        byte id = (byte) (MessageIds.HASH_REQUEST + data.consumeInt(0, 2));
        int chunk = data.consumeInt(1, 64);
        byte[] payload = data.consumeRemainingAsBytes();
        MEMORY.check(payload.length, () -> decodeOrRefuse(id, payload, chunk));
    }

    @Test
    void aWellFormedAnswerGetsThroughTheHarness() {
        String request = "00".repeat(32) + "00000000" + "00000002" + "00000002" + "00000001";
        PeerMessage message = decodeOrRefuse(MessageIds.HASHES, HexFormat.of().parseHex(request + "11".repeat(96)), 5);
        PeerMessage.Hashes hashes = (PeerMessage.Hashes) message;
        assertEquals(new PeerMessage.HashRequest(new byte[32], 0, 2, 2, 1), hashes.request());
        assertEquals(1, hashes.request().uncleCount());
        assertNull(decodeOrRefuse(MessageIds.HASH_REJECT, HexFormat.of().parseHex(request.replace("00000002",
                "00000003")), 3), "length 3 refused");
    }

    /**
     * The decoded message, or null when the decoder refused the frame. The channel is closed at the end, as a
     * connection is after a refused frame, so the decoder's cumulation buffer is released.
     */
    private static PeerMessage decodeOrRefuse(byte id, byte[] payload, int chunk) {
        byte[] frame = ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put(id).put(payload).array();
        EmbeddedChannel channel = new EmbeddedChannel(new PeerMessageDecoder(0, new Capabilities(true, true, true), 1024));
        try {
            return decodeOrRefuse(channel, id, frame, chunk);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static PeerMessage decodeOrRefuse(EmbeddedChannel channel, byte id, byte[] frame, int chunk) {
        try {
            for (int at = 0; at < frame.length; at += chunk) {
                channel.writeInbound(Unpooled.wrappedBuffer(frame, at, Math.min(chunk, frame.length - at)));
            }
        } catch (PeerProtocolException refused) {
            assertNull(channel.readInbound(), "nothing delivered from a refused frame");
            return null;
        }
        PeerMessage message = channel.readInbound();
        assertNull(channel.readInbound(), "one frame, one message");
        PeerMessage.HashRequest request = switch (id) {
            case MessageIds.HASH_REQUEST -> (PeerMessage.HashRequest) message;
            case MessageIds.HASH_REJECT -> ((PeerMessage.HashReject) message).request();
            default -> ((PeerMessage.Hashes) message).request();
        };
        assertNull(PeerMessage.HashRequest.problem(request.baseLayer(), request.index(), request.length(),
                request.proofLayers()));
        if (message instanceof PeerMessage.Hashes hashes) {
            assertTrue(request.length() <= PeerMessage.MAX_HASHES_LENGTH);
            assertEquals((request.length() + request.uncleCount()) * 32, hashes.hashes().length);
        }
        EmbeddedChannel encoder = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf encoded = encoder.readOutbound();
        try {
            assertArrayEquals(frame, ByteBufUtil.getBytes(encoded), "re-encodes to the frame it came from");
        } finally {
            encoded.release();
        }
        return message;
    }
}
