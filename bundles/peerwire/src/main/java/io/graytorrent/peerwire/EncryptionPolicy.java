package io.graytorrent.peerwire;

import java.util.Locale;

/**
 * Which connections use Message Stream Encryption (MSE/PE), the obfuscation layer before the
 * BitTorrent handshake. An outgoing connection refused in its first mode is retried once in the
 * other mode, where the policy has one; an encrypted dial for a hybrid torrent whose v2 infohash is
 * known is keyed by that hash first, and by its v1 hash once more if the peer drops it.
 */
public enum EncryptionPolicy {
    /** Plaintext only: no MSE stage, an encrypted incoming connection is refused. */
    DISABLED,
    /** Dial plaintext, retry encrypted if refused; accept both, choosing plaintext after MSE when offered. */
    ENABLED,
    /** Dial encrypted, fall back to plaintext; accept both, choosing RC4 when offered. */
    PREFERRED,
    /** RC4 only, both ways: a plaintext peer is refused. */
    REQUIRED;

    /** The policy named {@code text} (case-insensitive). */
    public static EncryptionPolicy parse(String text) {
        for (EncryptionPolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(text.trim())) {
                return policy;
            }
        }
        throw new IllegalArgumentException("encryption is one of disabled, enabled, preferred, required, not '"
                + text + "'");
    }

    /** The name as written in configuration and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
