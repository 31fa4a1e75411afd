package io.graytorrent.peerwire.internal.mse;

import io.graytorrent.peerwire.PeerProtocolException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;

/**
 * One side's Diffie-Hellman key pair over MSE's fixed group (the 768-bit prime P, generator 2),
 * with the JDK's {@code DH} key agreement. Keys and the shared secret travel as exactly
 * {@value #KEY_LENGTH} big-endian bytes.
 */
final class DhKeys {
    static final int KEY_LENGTH = 96;
    static final BigInteger P = new BigInteger(1, HexFormat.of().parseHex(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
                    + "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9"
                    + "A63A36210000000000090563"));
    static final BigInteger G = BigInteger.TWO;
    /** The spec recommends 160-bit private keys: more costs CPU and adds nothing at this prime's strength. */
    private static final int PRIVATE_BITS = 160;
    private static final DHParameterSpec GROUP = new DHParameterSpec(P, G, PRIVATE_BITS);

    private final KeyPair pair;

    private DhKeys(KeyPair pair) {
        this.pair = pair;
    }

    static DhKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("DH");
            generator.initialize(GROUP);
            return new DhKeys(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks DH over MSE's group", e);
        }
    }

    /** Our public key Y = G^X mod P, 96 bytes. */
    byte[] publicKey() {
        return fixedLength(((DHPublicKey) pair.getPublic()).getY());
    }

    /**
     * S = Yremote^X mod P, 96 bytes.
     *
     * @throws PeerProtocolException if {@code remoteKey} is not a usable key (0, 1, P-1 or more)
     */
    byte[] sharedSecret(byte[] remoteKey) {
        BigInteger y = new BigInteger(1, remoteKey);
        // the JDK checks the range too, but says so less clearly
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new PeerProtocolException("MSE: the peer's DH key is out of range");
        }
        try {
            PublicKey remote = KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, P, G));
            KeyAgreement agreement = KeyAgreement.getInstance("DH");
            agreement.init(pair.getPrivate());
            agreement.doPhase(remote, true);
            return fixedLength(new BigInteger(1, agreement.generateSecret()));
        } catch (GeneralSecurityException e) {
            throw new PeerProtocolException("MSE: unusable DH key: " + e.getMessage());
        }
    }

    /** {@code value} as exactly 96 big-endian bytes (BigInteger may give fewer, or a 97th sign byte). */
    static byte[] fixedLength(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[KEY_LENGTH];
        int copy = Math.min(raw.length, KEY_LENGTH);
        System.arraycopy(raw, raw.length - copy, out, KEY_LENGTH - copy, copy);
        return out;
    }
}
