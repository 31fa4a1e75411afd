package io.graytorrent.dht.internal;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The write tokens of get_peers answers (BEP 5): the first 8 bytes of SHA-1(secret, IP, infohash).
 * The secret changes every 5 minutes and the previous one is still accepted, so a token stays
 * good for 5 to 10 minutes and only for the address it was given to. Not thread-safe.
 */
public final class Tokens {
    static final long ROTATION_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final int TOKEN_LENGTH = 8;
    private static final int SECRET_LENGTH = 16;

    private final LongSupplier nanos;
    private final RandomGenerator random;
    private byte[] current;
    private byte[] previous;
    private long rotatedAt;

    public Tokens(LongSupplier nanos, RandomGenerator random) {
        this.nanos = nanos;
        this.random = random;
        this.current = newSecret();
        this.previous = newSecret();
        this.rotatedAt = nanos.getAsLong();
    }

    public byte[] issue(InetAddress ip, NodeId infoHash) {
        rotateIfDue();
        return token(current, ip, infoHash);
    }

    public boolean accepts(byte[] token, InetAddress ip, NodeId infoHash) {
        rotateIfDue();
        return MessageDigest.isEqual(token, token(current, ip, infoHash))
                || MessageDigest.isEqual(token, token(previous, ip, infoHash));
    }

    private void rotateIfDue() {
        long elapsed = nanos.getAsLong() - rotatedAt;
        if (elapsed < ROTATION_NANOS) {
            return;
        }
        // after two periods or more, the old current secret is too old to honour as well
        previous = elapsed < 2 * ROTATION_NANOS ? current : newSecret();
        current = newSecret();
        rotatedAt += (elapsed / ROTATION_NANOS) * ROTATION_NANOS;
    }

    private byte[] newSecret() {
        byte[] secret = new byte[SECRET_LENGTH];
        random.nextBytes(secret);
        return secret;
    }

    private static byte[] token(byte[] secret, InetAddress ip, NodeId infoHash) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(ip.getAddress());
            sha1.update(infoHash.bytes());
            return Arrays.copyOf(sha1.digest(), TOKEN_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
