package io.graytorrent.peerwire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@Unit
class HandshakeCodecTest {
    private static final Handshake HANDSHAKE = new Handshake(new Capabilities(true, true, false),
            InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), PeerId.generate());

    private static byte[] encode(Handshake handshake) {
        EmbeddedChannel channel = new EmbeddedChannel(HandshakeEncoder.INSTANCE);
        channel.writeOutbound(handshake);
        ByteBuf out = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    @Test
    void writesTheBep3LayoutWithOurReservedBits() {
        byte[] wire = encode(HANDSHAKE);
        assertEquals(68, wire.length);
        assertEquals("\u0013BitTorrent protocol", new String(wire, 0, 20, StandardCharsets.US_ASCII));
        assertEquals("0000000000100004", HexFormat.of().formatHex(wire, 20, 28));
        assertEquals(PeerId.CLIENT_PREFIX, new String(wire, 48, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void roundTripsWholeAndByteByByte() {
        byte[] wire = encode(HANDSHAKE);
        EmbeddedChannel whole = new EmbeddedChannel(new HandshakeDecoder());
        whole.writeInbound(Unpooled.wrappedBuffer(wire));
        assertEquals(HANDSHAKE, whole.readInbound());

        EmbeddedChannel split = new EmbeddedChannel(new HandshakeDecoder());
        for (byte b : wire) {
            split.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(HANDSHAKE, split.readInbound());
    }

    @Test
    void readsDhtBitAndIgnoresUnknownBits() {
        byte[] wire = encode(HANDSHAKE);
        System.arraycopy(HexFormat.of().parseHex("ff00000000000001"), 0, wire, 20, 8);
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        Handshake read = channel.readInbound();
        assertEquals(new Capabilities(false, false, true), read.capabilities());
    }

    @Test
    void refusesAWrongProtocolStringAtItsFirstBadByte() {
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeDecoder());
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1", StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("not a BitTorrent handshake"), e.getMessage());
        channel.writeInbound(Unpooled.wrappedBuffer(encode(HANDSHAKE)));
        assertNull(channel.readInbound());
    }

    @Test
    void refusesAWrongLengthByte() {
        byte[] wire = encode(HANDSHAKE);
        wire[0] = 18;
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeDecoder());
        assertThrows(PeerProtocolException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, 1)));
    }
}
