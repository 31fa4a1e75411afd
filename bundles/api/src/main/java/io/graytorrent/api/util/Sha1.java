package io.graytorrent.api.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1, which every Java runtime must provide, without the checked exception. */
public final class Sha1 {
    private Sha1() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }
}
