package io.graytorrent.peerwire.internal.mse;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction's RC4 keystream (the JDK's {@code ARCFOUR}) with its first {@value #DISCARD} bytes
 * thrown away, as MSE requires. The stream continues across calls: one instance per direction per
 * connection, used on its event loop only.
 */
final class Rc4 {
    static final int DISCARD = 1024;

    private final Cipher cipher;

    Rc4(byte[] key) {
        try {
            cipher = Cipher.getInstance("ARCFOUR");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ARCFOUR", e);
        }
        cipher.update(new byte[DISCARD]);
    }

    /** XORs the next keystream bytes into {@code bytes} in place. */
    void apply(byte[] bytes) {
        apply(bytes, 0, bytes.length);
    }

    void apply(byte[] bytes, int offset, int length) {
        try {
            cipher.update(bytes, offset, length, bytes, offset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** XORs the keystream into {@code length} bytes of {@code buf} from {@code index}, in place. */
    void apply(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return;
        }
        if (buf.hasArray()) {
            apply(buf.array(), buf.arrayOffset() + index, length);
            return;
        }
        for (ByteBuffer part : buf.nioBuffers(index, length)) {
            update(part, part.duplicate());
        }
    }

    /** The keystream XOR {@code length} bytes of {@code from} from its reader index, appended to {@code to}. */
    void copy(ByteBuf from, ByteBuf to, int length) {
        to.ensureWritable(length);
        int at = to.writerIndex();
        from.getBytes(from.readerIndex(), to, at, length);
        to.writerIndex(at + length);
        from.skipBytes(length);
        apply(to, at, length);
    }

    private void update(ByteBuffer in, ByteBuffer out) {
        try {
            cipher.update(in, out);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
