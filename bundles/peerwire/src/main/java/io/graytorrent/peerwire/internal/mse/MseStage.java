package io.graytorrent.peerwire.internal.mse;

import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.Handshake;
import io.graytorrent.peerwire.PeerEncryption;
import io.graytorrent.peerwire.PeerProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The pre-handshake stage for Message Stream Encryption (MSE/PE), between the transport and the
 * BitTorrent handshake codec. It runs the five-step MSE handshake, then installs an {@link Rc4Codec}
 * in its place if RC4 was selected, hands the bytes it already holds (decrypted) to the handshake
 * decoder, flushes what was written meanwhile, and removes itself.
 *
 * <p>Outgoing (we are A): Ya and PadA at once; what the session writes before the end (its
 * BitTorrent handshake) waits here and travels as the initial payload IA in step 3. Incoming (we
 * are B): the first bytes tell a plaintext BitTorrent handshake (passed on as is, unless RC4 is
 * required) from an MSE opening.
 *
 * <p>Bounds, from the spec: PadA/PadB/PadC/PadD at most 512 bytes; HASH('req1', S) must start
 * within 512 bytes after Ya (628 from the connection's start), the encrypted VC within 512 bytes
 * after Yb (616); the initial payload at most {@value #MAX_INITIAL_PAYLOAD} bytes (the spec sets
 * none; a handshake and a bitfield for a big torrent fit). Nothing more is held: a violation closes
 * the connection through the session, which also bounds the whole stage by its handshake timeout.
 */
public final class MseStage extends ChannelDuplexHandler {
    static final int CRYPTO_PLAINTEXT = 0x01;
    static final int CRYPTO_RC4 = 0x02;
    static final int MAX_PAD = 512;
    static final int MAX_INITIAL_PAYLOAD = 8192;
    private static final int VC_LENGTH = 8;
    private static final byte[] BT_PREFIX = ("\u0013" + Handshake.PROTOCOL).getBytes(StandardCharsets.ISO_8859_1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum Step {
        DETECT, KEY, SYNC, STREAM_KEY, PROVIDE, PAD_C, IA_LENGTH, IA, SELECT, PAD_D, DONE, FAILED
    }

    private final boolean outgoing;
    private final EncryptionPolicy policy;
    /** A's torrent infohash; B learns it in STREAM_KEY. */
    private byte[] streamKey;
    private final StreamKeys streamKeys;
    private final Consumer<PeerEncryption> onDone;

    private Step step;
    private ByteBuf in;
    private PendingWriteQueue pending;
    private DhKeys keys;
    private byte[] secret;
    private byte[] syncMarker;
    private Rc4 encrypt;
    private Rc4 decrypt;
    /** crypto_provide: what we offered (A) or the peer offered (B). */
    private int provided;
    /** crypto_select, as A reads it. */
    private int selected;
    private int length;

    private MseStage(boolean outgoing, EncryptionPolicy policy, byte[] streamKey, StreamKeys streamKeys,
            Consumer<PeerEncryption> onDone) {
        if (policy == EncryptionPolicy.DISABLED) {
            throw new IllegalArgumentException("no MSE stage when encryption is disabled");
        }
        this.outgoing = outgoing;
        this.policy = policy;
        this.streamKey = streamKey;
        this.streamKeys = streamKeys;
        this.onDone = onDone;
        this.step = outgoing ? Step.KEY : Step.DETECT;
    }

    /** We dial, offering RC4 only when {@code policy} requires it, else RC4 and plaintext. */
    public static MseStage outgoing(EncryptionPolicy policy, byte[] infoHash, Consumer<PeerEncryption> onDone) {
        return new MseStage(true, policy, infoHash.clone(), null, onDone);
    }

    /** A peer dialled us: plaintext or MSE, as its first bytes say; torrents are found in {@code streamKeys}. */
    public static MseStage incoming(EncryptionPolicy policy, StreamKeys streamKeys, Consumer<PeerEncryption> onDone) {
        return new MseStage(false, policy, null, streamKeys, onDone);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        in = ctx.alloc().buffer(256);
        pending = new PendingWriteQueue(ctx);
    }

    /** Step 1 for A: Ya, PadA; then the session may write its handshake, which waits here. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (outgoing) {
            keys = DhKeys.generate();
            ctx.writeAndFlush(keyAndPadding());
        }
        ctx.fireChannelActive();
    }

    private ByteBuf keyAndPadding() {
        byte[] padding = new byte[RANDOM.nextInt(MAX_PAD + 1)];
        RANDOM.nextBytes(padding);
        return Unpooled.wrappedBuffer(keys.publicKey(), padding);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (step == Step.DONE) {
            ctx.write(msg, promise);
        } else {
            pending.add(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (step == Step.DONE) {
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (step == Step.DONE) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (step != Step.FAILED) {
                in.writeBytes(bytes);
            }
        } finally {
            bytes.release();
        }
        try {
            advance(ctx);
        } catch (PeerProtocolException e) {
            step = Step.FAILED;
            in.clear();
            ctx.fireExceptionCaught(e);
        }
    }

    /** Runs the steps the buffered bytes allow. */
    private void advance(ChannelHandlerContext ctx) {
        boolean progress = true;
        while (progress && step != Step.DONE && step != Step.FAILED) {
            progress = switch (step) {
                case DETECT -> detect(ctx);
                case KEY -> key(ctx);
                case SYNC -> outgoing ? findVerification() : findReq1();
                case STREAM_KEY -> streamKey();
                case PROVIDE -> provide();
                case PAD_C -> skipPadding(Step.IA_LENGTH);
                case IA_LENGTH -> initialPayloadLength();
                case IA -> initialPayload(ctx);
                case SELECT -> select();
                case PAD_D -> padD(ctx);
                default -> false;
            };
        }
    }

    /** B: a plaintext handshake begins with 19 'BitTorrent protocol'; anything else is MSE. */
    private boolean detect(ChannelHandlerContext ctx) {
        int checkable = Math.min(in.readableBytes(), BT_PREFIX.length);
        if (!matchesPlaintextPrefix(checkable)) {
            step = Step.KEY;
            return true;
        }
        if (checkable < BT_PREFIX.length) {
            return false;
        }
        if (policy == EncryptionPolicy.REQUIRED) {
            throw new PeerProtocolException("a plaintext handshake, and encryption is required");
        }
        finish(ctx, PeerEncryption.PLAINTEXT, null);
        return false;
    }

    /** Whether the first {@code count} bytes held agree with a plaintext handshake's prefix. */
    private boolean matchesPlaintextPrefix(int count) {
        for (int i = 0; i < count; i++) {
            if (in.getByte(in.readerIndex() + i) != BT_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** A key that starts like a plaintext handshake for all 20 bytes has odds of 2^-160: it is one. */
    private boolean startsWithPlaintextHandshake() {
        return in.readableBytes() >= BT_PREFIX.length && matchesPlaintextPrefix(BT_PREFIX.length);
    }

    /** The other side's 96-byte key: compute S; B answers with Yb, PadB; A sends step 3. */
    private boolean key(ChannelHandlerContext ctx) {
        if (outgoing && startsWithPlaintextHandshake()) {
            // a plaintext-only peer that answered our key with its handshake: fail now, so the
            // plaintext retry need not wait for the handshake timeout
            throw new PeerProtocolException("MSE: the peer answered with a plaintext BitTorrent handshake");
        }
        if (in.readableBytes() < DhKeys.KEY_LENGTH) {
            return false;
        }
        byte[] remote = new byte[DhKeys.KEY_LENGTH];
        in.readBytes(remote);
        if (keys == null) {
            keys = DhKeys.generate(); // B: only once the opening is MSE and its key is complete
        }
        secret = keys.sharedSecret(remote);
        if (outgoing) {
            sendStep3(ctx);
            syncMarker = new byte[VC_LENGTH];
            decrypt = new Rc4(MseHashes.keyB(secret, streamKey));
            decrypt.apply(syncMarker);
        } else {
            ctx.writeAndFlush(keyAndPadding());
            syncMarker = MseHashes.req1(secret);
        }
        keys = null;
        step = Step.SYNC;
        return true;
    }

    /**
     * A, step 3: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S), then encrypted VC,
     * crypto_provide, len(PadC)=0, len(IA) and IA, the bytes written so far (our handshake).
     */
    private void sendStep3(ChannelHandlerContext ctx) {
        encrypt = new Rc4(MseHashes.keyA(secret, streamKey));
        ByteBuf initial = ctx.alloc().buffer();
        ChannelPromise carried = ctx.newPromise();
        while (pending.current() instanceof ByteBuf next
                && initial.readableBytes() + next.readableBytes() <= MAX_INITIAL_PAYLOAD) {
            initial.writeBytes(next, next.readerIndex(), next.readableBytes());
            ChannelPromise promise = pending.remove();
            carried.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        }
        provided = policy == EncryptionPolicy.REQUIRED ? CRYPTO_RC4 : CRYPTO_RC4 | CRYPTO_PLAINTEXT;
        ByteBuf step3 = ctx.alloc().buffer(40 + VC_LENGTH + 8 + initial.readableBytes());
        step3.writeBytes(MseHashes.req1(secret));
        step3.writeBytes(MseHashes.xor(MseHashes.req2(streamKey), MseHashes.req3(secret)));
        int encrypted = step3.writerIndex();
        step3.writeZero(VC_LENGTH).writeInt(provided).writeShort(0).writeShort(initial.readableBytes());
        step3.writeBytes(initial);
        initial.release();
        encrypt.apply(step3, encrypted, step3.writerIndex() - encrypted);
        ctx.writeAndFlush(step3, carried);
    }

    /** B: the end of PadA is HASH('req1', S), which must start within 512 bytes. */
    private boolean findReq1() {
        return synchronise(Step.STREAM_KEY, "HASH('req1', S)");
    }

    /** A: the end of PadB is the encrypted VC, which must start within 512 bytes. */
    private boolean findVerification() {
        return synchronise(Step.SELECT, "the encrypted verification constant");
    }

    private boolean synchronise(Step next, String marker) {
        int last = Math.min(in.readableBytes() - syncMarker.length, MAX_PAD);
        for (int offset = 0; offset <= last; offset++) {
            if (matchesAt(in.readerIndex() + offset)) {
                in.skipBytes(offset + syncMarker.length);
                step = next;
                return true;
            }
        }
        if (in.readableBytes() >= MAX_PAD + syncMarker.length) {
            throw new PeerProtocolException("MSE: no " + marker + " within " + MAX_PAD + " bytes of padding");
        }
        return false;
    }

    private boolean matchesAt(int index) {
        for (int i = 0; i < syncMarker.length; i++) {
            if (in.getByte(index + i) != syncMarker[i]) {
                return false;
            }
        }
        return true;
    }

    /** B: HASH('req2', SKEY) xor HASH('req3', S) names the torrent; it keys both RC4 streams. */
    private boolean streamKey() {
        if (in.readableBytes() < MseHashes.LENGTH) {
            return false;
        }
        byte[] masked = new byte[MseHashes.LENGTH];
        in.readBytes(masked);
        byte[] req2 = MseHashes.xor(masked, MseHashes.req3(secret));
        streamKey = streamKeys.find(req2)
                .orElseThrow(() -> new PeerProtocolException("MSE: the peer asks for no torrent of ours"))
                .toBytes();
        decrypt = new Rc4(MseHashes.keyA(secret, streamKey));
        encrypt = new Rc4(MseHashes.keyB(secret, streamKey));
        step = Step.PROVIDE;
        return true;
    }

    /** B: VC (8 zero bytes), crypto_provide (4), len(PadC) (2). */
    private boolean provide() {
        if (in.readableBytes() < VC_LENGTH + 6) {
            return false;
        }
        ByteBuf head = decrypted(VC_LENGTH + 6);
        try {
            for (int i = 0; i < VC_LENGTH; i++) {
                if (head.readByte() != 0) {
                    throw new PeerProtocolException("MSE: the verification constant does not decrypt to zeros");
                }
            }
            provided = head.readInt();
            length = paddingLength(head.readUnsignedShort(), "PadC");
        } finally {
            head.release();
        }
        step = Step.PAD_C;
        return true;
    }

    private boolean skipPadding(Step next) {
        if (in.readableBytes() < length) {
            return false;
        }
        decrypted(length).release();
        step = next;
        return true;
    }

    private boolean initialPayloadLength() {
        if (in.readableBytes() < 2) {
            return false;
        }
        ByteBuf field = decrypted(2);
        length = field.readUnsignedShort();
        field.release();
        if (length > MAX_INITIAL_PAYLOAD) {
            throw new PeerProtocolException("MSE: an initial payload of " + length + " bytes, over "
                    + MAX_INITIAL_PAYLOAD);
        }
        step = Step.IA;
        return true;
    }

    /** B, step 4: choose a method the policy allows among those provided, answer, and finish. */
    private boolean initialPayload(ChannelHandlerContext ctx) {
        if (in.readableBytes() < length) {
            return false;
        }
        ByteBuf initial = decrypted(length);
        int selected = choose();
        if (selected == 0) {
            initial.release();
            throw new PeerProtocolException("MSE: the peer provides methods 0x" + Integer.toHexString(provided)
                    + ", none allowed by encryption policy " + policy.label());
        }
        ByteBuf step4 = ctx.alloc().buffer(VC_LENGTH + 6);
        step4.writeZero(VC_LENGTH).writeInt(selected).writeShort(0);
        encrypt.apply(step4, 0, step4.readableBytes());
        ctx.write(step4);
        finish(ctx, selected == CRYPTO_RC4 ? PeerEncryption.RC4 : PeerEncryption.MSE_PLAINTEXT, initial);
        return false;
    }

    private int choose() {
        boolean rc4 = (provided & CRYPTO_RC4) != 0;
        boolean plaintext = (provided & CRYPTO_PLAINTEXT) != 0;
        return switch (policy) {
            case REQUIRED -> rc4 ? CRYPTO_RC4 : 0;
            case PREFERRED -> rc4 ? CRYPTO_RC4 : plaintext ? CRYPTO_PLAINTEXT : 0;
            default -> plaintext ? CRYPTO_PLAINTEXT : rc4 ? CRYPTO_RC4 : 0;
        };
    }

    /** A: crypto_select (4), len(PadD) (2); the method must be one we provided. */
    private boolean select() {
        if (in.readableBytes() < 6) {
            return false;
        }
        ByteBuf head = decrypted(6);
        int selected = head.readInt();
        int padding = head.readUnsignedShort();
        head.release();
        if (selected != CRYPTO_RC4 && selected != CRYPTO_PLAINTEXT || (selected & provided) == 0) {
            throw new PeerProtocolException("MSE: the peer selected 0x" + Integer.toHexString(selected)
                    + " of the methods 0x" + Integer.toHexString(provided) + " we provided");
        }
        this.selected = selected;
        length = paddingLength(padding, "PadD");
        step = Step.PAD_D;
        return true;
    }

    private boolean padD(ChannelHandlerContext ctx) {
        if (!skipPadding(Step.PAD_D)) {
            return false;
        }
        finish(ctx, selected == CRYPTO_RC4 ? PeerEncryption.RC4 : PeerEncryption.MSE_PLAINTEXT, null);
        return false;
    }

    private static int paddingLength(int length, String which) {
        if (length > MAX_PAD) {
            throw new PeerProtocolException("MSE: " + which + " of " + length + " bytes, over " + MAX_PAD);
        }
        return length;
    }

    /** The next {@code count} bytes, decrypted, as a buffer the caller releases. */
    private ByteBuf decrypted(int count) {
        ByteBuf out = Unpooled.buffer(count);
        decrypt.copy(in, out, count);
        return out;
    }

    /**
     * Hands over to the BitTorrent pipeline: RC4 codec in our place if selected, then the initial
     * payload and the bytes after it (decrypted when RC4) to the handshake decoder, then the writes
     * held meanwhile (encrypted when RC4).
     */
    private void finish(ChannelHandlerContext ctx, PeerEncryption result, ByteBuf initial) {
        step = Step.DONE;
        onDone.accept(result);
        if (result == PeerEncryption.RC4) {
            ctx.pipeline().addBefore(ctx.name(), "rc4", new Rc4Codec(encrypt, decrypt));
            decrypt.apply(in, in.readerIndex(), in.readableBytes());
        }
        pending.removeAndWriteAll();
        ctx.flush();
        ByteBuf received = initial == null ? in : Unpooled.wrappedBuffer(initial, in);
        in = null;
        ctx.pipeline().remove(this);
        if (received.isReadable()) {
            ctx.fireChannelRead(received);
        } else {
            received.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.removeAndFailAll(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (in != null) {
            in.release();
            in = null;
        }
        if (!pending.isEmpty()) {
            pending.removeAndFailAll(new ClosedChannelException());
        }
    }
}
