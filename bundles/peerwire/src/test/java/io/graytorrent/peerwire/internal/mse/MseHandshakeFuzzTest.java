package io.graytorrent.peerwire.internal.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.PeerEncryption;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Slow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A remote peer's bytes through the incoming MSE stage, in fuzzer-chosen chunks. With a fuzzer
 * choice the harness plays an honest initiator up to the torrent's name (a real DH key, PadA,
 * HASH('req1', S) and the req2 xor req3 hash), then encrypts the fuzzer's bytes with the right
 * RC4 stream, so the fuzzer reaches the fields a stranger cannot forge: VC, crypto_provide, PadC,
 * the initial payload and what follows. Otherwise the bytes arrive as they are.
 *
 * <p>Contract: the stage hands over (a result) or waits or refuses with a
 * {@link PeerProtocolException}; nothing else escapes; allocation is bounded.
 */
@Slow
class MseHandshakeFuzzTest {
    private static final AllocationBudget MEMORY = new AllocationBudget(1 << 20, 256);
    /** The initiator's key pair, made once: generating one per input would halve the fuzzer's speed. */
    private static final DhKeys INITIATOR = DhKeys.generate();

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void handsOverOrRefuses(FuzzedDataProvider data) {
        boolean honestOpening = data.consumeBoolean();
        int chunk = data.consumeInt(1, 64);
        int padA = data.consumeInt(0, 600);
        byte[] bytes = data.consumeRemainingAsBytes();
        MEMORY.check(bytes.length + padA, () -> run(honestOpening, chunk, padA, bytes));
    }

    @Test
    void theHarnessReachesTheHandOver() {
        byte[] plain = new byte[8 + 4 + 2 + 2 + MseStageTest.HANDSHAKE.length];
        plain[11] = MseStage.CRYPTO_RC4;
        plain[15] = (byte) MseStageTest.HANDSHAKE.length;
        System.arraycopy(MseStageTest.HANDSHAKE, 0, plain, 16, MseStageTest.HANDSHAKE.length);
        MseStageTest.End b = run(true, 5, 100, plain);
        assertEquals(PeerEncryption.RC4, b.result);
        assertTrue(Arrays.equals(MseStageTest.HANDSHAKE, b.takeReceived()));
    }

    @Test
    void oversizedPaddingAWrongVerificationConstantOrAHugeInitialPayloadAreRefused() {
        byte[] padC = new byte[16];
        padC[11] = MseStage.CRYPTO_RC4;
        padC[12] = 0x02; // len(PadC) = 513
        padC[13] = 0x01;
        assertRefused(padC, "PadC of 513");
        byte[] vc = new byte[16];
        vc[3] = 1;
        assertRefused(vc, "verification constant");
        byte[] initial = new byte[16];
        initial[11] = MseStage.CRYPTO_RC4;
        initial[14] = (byte) 0xff; // len(IA) = 65535
        initial[15] = (byte) 0xff;
        assertRefused(initial, "initial payload of 65535");
        byte[] nothing = new byte[16];
        assertRefused(nothing, "none allowed");
    }

    private static void assertRefused(byte[] plain, String why) {
        MseStageTest.End b = run(true, 7, 0, plain);
        assertTrue(b.failure instanceof PeerProtocolException && b.failure.getMessage().contains(why),
                why + ": " + b.failure);
        assertEquals(null, b.result);
    }

    private static MseStageTest.End run(boolean honestOpening, int chunk, int padA, byte[] bytes) {
        MseStageTest.End b = new MseStageTest.End(false, EncryptionPolicy.PREFERRED);
        if (honestOpening) {
            DhKeys a = INITIATOR;
            feed(b, concat(a.publicKey(), new byte[padA]), chunk);
            ByteBuf answer = b.channel.readOutbound();
            if (answer != null) {
                byte[] remoteKey = Arrays.copyOf(ByteBufUtil.getBytes(answer), DhKeys.KEY_LENGTH);
                answer.release();
                byte[] secret = a.sharedSecret(remoteKey);
                byte[] infoHash = MseStageTest.INFO_HASH.toBytes();
                byte[] encrypted = bytes.clone();
                new Rc4(MseHashes.keyA(secret, infoHash)).apply(encrypted);
                feed(b, concat(concat(MseHashes.req1(secret),
                        MseHashes.xor(MseHashes.req2(infoHash), MseHashes.req3(secret))), encrypted), chunk);
            }
        } else {
            feed(b, bytes, chunk);
        }
        b.channel.finishAndReleaseAll();
        assertTrue(b.failure == null || b.failure instanceof PeerProtocolException, String.valueOf(b.failure));
        return b;
    }

    private static void feed(MseStageTest.End b, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length && b.channel.isOpen(); at += chunk) {
            b.channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return MseStageTest.concat(a, b);
    }
}
