package io.graytorrent.peerwire;

/** How one connection's bytes travel after its handshake. */
public enum PeerEncryption {
    /** A plain BitTorrent handshake and stream. */
    PLAINTEXT("plaintext"),
    /** An MSE handshake that selected plaintext: only the handshake was obfuscated. */
    MSE_PLAINTEXT("plaintext-after-mse"),
    /** An MSE handshake that selected RC4 for the whole stream. */
    RC4("rc4");

    private final String label;

    PeerEncryption(String label) {
        this.label = label;
    }

    /** The name shown by {@code gray peers} and the API. */
    public String label() {
        return label;
    }
}
