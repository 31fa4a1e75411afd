package io.graytorrent.peerwire.internal.mse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** MSE's HASH(): SHA-1 over a 4-byte ASCII label and the arguments, concatenated. */
final class MseHashes {
    static final int LENGTH = 20;

    private MseHashes() {
    }

    /** HASH('req1', S): marks the end of PadA. */
    static byte[] req1(byte[] secret) {
        return hash("req1", secret, new byte[0]);
    }

    /** HASH('req2', SKEY): identifies the torrent without naming it. */
    static byte[] req2(byte[] streamKey) {
        return hash("req2", streamKey, new byte[0]);
    }

    /** HASH('req3', S): masks req2 on the wire. */
    static byte[] req3(byte[] secret) {
        return hash("req3", secret, new byte[0]);
    }

    /** HASH('keyA', S, SKEY): the RC4 key of the initiator's direction. */
    static byte[] keyA(byte[] secret, byte[] streamKey) {
        return hash("keyA", secret, streamKey);
    }

    /** HASH('keyB', S, SKEY): the RC4 key of the receiver's direction. */
    static byte[] keyB(byte[] secret, byte[] streamKey) {
        return hash("keyB", secret, streamKey);
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] hash(String label, byte[] first, byte[] second) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(label.getBytes(StandardCharsets.US_ASCII));
            sha1.update(first);
            sha1.update(second);
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
