package io.graytorrent.peerwire.internal.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.OneTorrent;
import io.graytorrent.peerwire.PeerEncryption;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ends of the MSE stage in memory: each one's output is fed to the other in chunks of 1, 3, 7
 * or 4096 bytes, so every step must cope with its input split anywhere. After the handshake the
 * BitTorrent bytes written on one side must arrive unchanged on the other, both ways.
 */
class MseStageTest {
    static final InfoHash INFO_HASH = InfoHash.of(bytes(20, 7));
    static final byte[] HANDSHAKE = handshake();

    /** One end: the stage, then a recorder of what the stage hands on and of the failure it reports. */
    static final class End extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        PeerEncryption result;
        Throwable failure;
        final EmbeddedChannel channel;

        End(boolean outgoing, EncryptionPolicy policy) {
            this(outgoing, policy, lookup());
        }

        End(boolean outgoing, EncryptionPolicy policy, TorrentLookup torrents) {
            MseStage stage = outgoing ? MseStage.outgoing(policy, INFO_HASH.toBytes(), r -> result = r)
                    : MseStage.incoming(policy, new StreamKeys(torrents), r -> result = r);
            channel = new EmbeddedChannel(stage, this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
            ctx.close();
        }

        void write(byte[] bytes) {
            channel.writeOutbound(Unpooled.wrappedBuffer(bytes));
        }

        byte[] takeReceived() {
            byte[] bytes = received.toByteArray();
            received.reset();
            return bytes;
        }
    }

    static TorrentLookup lookup() {
        return new OneTorrent(new TorrentEndpoint(INFO_HASH, 1, null));
    }

    /** Moves bytes both ways in {@code chunk}-byte pieces until neither side has more to say. */
    static void pump(End a, End b, int chunk) {
        boolean moved = true;
        while (moved) {
            moved = transfer(a.channel, b.channel, chunk) | transfer(b.channel, a.channel, chunk);
        }
    }

    /** Everything {@code from} wrote, fed to {@code to} in chunks; false if there was nothing. */
    static boolean transfer(EmbeddedChannel from, EmbeddedChannel to, int chunk) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf out = from.readOutbound(); out != null; out = from.readOutbound()) {
            bytes.writeBytes(ByteBufUtil.getBytes(out));
            out.release();
        }
        byte[] all = bytes.toByteArray();
        for (int at = 0; at < all.length && to.isOpen(); at += chunk) {
            to.writeInbound(Unpooled.wrappedBuffer(all, at, Math.min(chunk, all.length - at)));
        }
        return all.length > 0 && to.isOpen();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 4096})
    void rc4BothWaysInAnyChunks(int chunk) {
        End a = new End(true, EncryptionPolicy.PREFERRED);
        End b = new End(false, EncryptionPolicy.PREFERRED);
        exchange(a, b, chunk);
        assertEquals(PeerEncryption.RC4, a.result);
        assertEquals(PeerEncryption.RC4, b.result);
        assertTrue(a.channel.pipeline().get(Rc4Codec.class) != null);
        assertNull(a.channel.pipeline().get(MseStage.class), "the stage removed itself");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 4096})
    void plaintextAfterMseWhenTheReceiverPrefersItInAnyChunks(int chunk) {
        End a = new End(true, EncryptionPolicy.ENABLED);
        End b = new End(false, EncryptionPolicy.ENABLED);
        exchange(a, b, chunk);
        assertEquals(PeerEncryption.MSE_PLAINTEXT, a.result);
        assertEquals(PeerEncryption.MSE_PLAINTEXT, b.result);
        assertNull(b.channel.pipeline().get(Rc4Codec.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 4096})
    void requiredOnOneSideMeansRc4(int chunk) {
        End a = new End(true, EncryptionPolicy.REQUIRED);
        End b = new End(false, EncryptionPolicy.ENABLED);
        exchange(a, b, chunk);
        assertEquals(PeerEncryption.RC4, b.result);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 4096})
    void aPlaintextHandshakeIsPassedOnUntouched(int chunk) {
        End b = new End(false, EncryptionPolicy.PREFERRED);
        byte[] rest = "after".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at < HANDSHAKE.length; at += chunk) {
            b.channel.writeInbound(Unpooled.wrappedBuffer(HANDSHAKE, at, Math.min(chunk, HANDSHAKE.length - at)));
        }
        b.channel.writeInbound(Unpooled.wrappedBuffer(rest));
        assertEquals(PeerEncryption.PLAINTEXT, b.result);
        assertArrayEquals(concat(HANDSHAKE, rest), b.takeReceived());
        b.write(HANDSHAKE);
        assertArrayEquals(HANDSHAKE, ByteBufUtil.getBytes((ByteBuf) b.channel.readOutbound()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096})
    void requiredRefusesAPlaintextHandshake(int chunk) {
        End b = new End(false, EncryptionPolicy.REQUIRED);
        for (int at = 0; at < HANDSHAKE.length && b.channel.isOpen(); at += chunk) {
            b.channel.writeInbound(Unpooled.wrappedBuffer(HANDSHAKE, at, Math.min(chunk, HANDSHAKE.length - at)));
        }
        assertTrue(b.failure instanceof PeerProtocolException, String.valueOf(b.failure));
        assertEquals(0, b.takeReceived().length);
        assertNull(b.channel.readOutbound(), "refused before answering");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096})
    void aRequiredReceiverAnswersAnOfferOfBothWithRc4(int chunk) {
        End a = new End(true, EncryptionPolicy.ENABLED);
        End b = new End(false, EncryptionPolicy.REQUIRED);
        exchange(a, b, chunk);
        assertEquals(PeerEncryption.RC4, a.result);
        assertEquals(PeerEncryption.RC4, b.result);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096})
    void anUnknownTorrentIsRefused(int chunk) {
        End a = new End(true, EncryptionPolicy.PREFERRED);
        End b = new End(false, EncryptionPolicy.PREFERRED, hash -> Optional.empty());
        a.write(HANDSHAKE);
        pump(a, b, chunk);
        assertTrue(b.failure instanceof PeerProtocolException, String.valueOf(b.failure));
        assertTrue(b.failure.getMessage().contains("no torrent"), b.failure.getMessage());
        assertFalse(b.channel.isOpen());
        assertNull(b.result);
        assertEquals(0, b.takeReceived().length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void endlessPaddingIsRefusedExactlyAtTheSpecsBound(boolean outgoing) {
        End end = new End(outgoing, EncryptionPolicy.PREFERRED);
        end.channel.readOutbound(); // A's opening
        byte[] key = DhKeys.generate().publicKey();
        key[0] = 0x55; // not a plaintext handshake's first byte
        end.channel.writeInbound(Unpooled.wrappedBuffer(key));
        int fed = key.length;
        while (end.channel.isOpen() && fed < 10_000) {
            end.channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
            fed++;
        }
        // B looks for HASH('req1', S) (20 bytes), A for the encrypted VC (8), after at most 512 of padding
        assertEquals(outgoing ? 96 + 512 + 8 : 96 + 512 + 20, fed);
        assertTrue(end.failure.getMessage().contains("within 512 bytes"), end.failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aGarbageKeyIsRefusedOnceItHasArrived(boolean outgoing) {
        End end = new End(outgoing, EncryptionPolicy.PREFERRED);
        byte[] garbage = new byte[96];
        java.util.Arrays.fill(garbage, (byte) 0xff); // above the prime
        for (int i = 0; i < 95; i++) {
            end.channel.writeInbound(Unpooled.wrappedBuffer(garbage, i, 1));
        }
        assertTrue(end.channel.isOpen(), "waits for the whole key");
        end.channel.writeInbound(Unpooled.wrappedBuffer(garbage, 95, 1));
        assertFalse(end.channel.isOpen());
        assertTrue(end.failure.getMessage().contains("DH key"), end.failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096})
    void aPlaintextHandshakeAnsweringOurKeyFailsAtOnce(int chunk) {
        End a = new End(true, EncryptionPolicy.PREFERRED);
        for (int at = 0; at < HANDSHAKE.length && a.channel.isOpen(); at += chunk) {
            a.channel.writeInbound(Unpooled.wrappedBuffer(HANDSHAKE, at, Math.min(chunk, HANDSHAKE.length - at)));
        }
        assertFalse(a.channel.isOpen(), "no wait for a 96-byte key that will not come");
        assertTrue(a.failure.getMessage().contains("plaintext BitTorrent handshake"), a.failure.getMessage());
    }

    /** Handshakes, then BitTorrent bytes both ways, several rounds, and checks they arrive intact. */
    private static void exchange(End a, End b, int chunk) {
        a.write(HANDSHAKE);
        pump(a, b, chunk);
        assertNull(a.failure);
        assertNull(b.failure);
        assertArrayEquals(HANDSHAKE, b.takeReceived(), "the initial payload carried our handshake");
        Random random = new Random(chunk);
        for (int round = 0; round < 3; round++) {
            byte[] fromB = bytes(100 + random.nextInt(5000), round);
            byte[] fromA = bytes(100 + random.nextInt(5000), round + 50);
            b.write(fromB);
            a.write(fromA);
            pump(a, b, chunk);
            assertArrayEquals(fromB, a.takeReceived());
            assertArrayEquals(fromA, b.takeReceived());
        }
    }

    static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] handshake() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(19);
        out.writeBytes("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[8]);
        out.writeBytes(INFO_HASH.toBytes());
        out.writeBytes("-GY0100-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
